/**
 * Entry point of dist/server.js, started by the extension over IPC (or `--stdio` in tests).
 * Analysis runs here, never in the extension host.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { version } from '../../package.json';
import { serveLanguageServer } from './process';

serveLanguageServer(createConnection(ProposedFeatures.all), version);
