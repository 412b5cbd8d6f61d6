// The panel's state machine, pure (no DOM), so the extension's unit tests and the browser share it.
import { EMPTY_PANEL_STATE, type ExtensionToPanel, type PanelState } from './protocol';

/** Live samples kept for the charts: ten minutes of 1-second windows. */
export const MAX_SAMPLES = 600;

export function applyMessage(state: PanelState, msg: ExtensionToPanel): PanelState {
  switch (msg.type) {
    case 'state':
      return { ...EMPTY_PANEL_STATE, ...msg.state };
    case 'tick': {
      const samples = [...state.samples, msg.sample];
      if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
      return { ...state, samples, statusCodes: msg.statusCodes, errors: msg.errors };
    }
  }
}
