import { Router } from 'express';
import { pool } from '../db/pool';
import { findCustomer } from '../db/customers';

export const ordersRouter = Router();

interface OrderRow {
  id: number;
  customer_id: number;
  status: string;
  created_at: string;
}

// GET /orders?status=open — lists orders with their line items and customer.
ordersRouter.get('/', async (req, res) => {
  const status = String(req.query.status ?? 'open');
  const { rows: orders } = await pool.query<OrderRow>(
    'SELECT id, customer_id, status, created_at FROM orders WHERE status = $1 ORDER BY created_at DESC LIMIT 50',
    [status],
  );

  const result = [];
  for (const order of orders) {
    // One query per order: 50 orders, 50 round trips.
    const { rows: items } = await pool.query('SELECT sku, quantity, price_cents FROM order_items WHERE order_id = $1', [order.id]);
    result.push({ ...order, items });
  }

  // And one more per order through a helper in another file.
  const withCustomers = await Promise.all(
    result.map(async (order) => ({ ...order, customer: await findCustomer(order.customer_id) })),
  );
  res.json(withCustomers);
});

// GET /orders/statuses?ids=1,2,3 — the status of each requested order.
ordersRouter.get('/statuses', async (req, res) => {
  const ids: number[] = String(req.query.ids ?? '').split(',').map(Number);
  // One query per id, all in flight at once: still one round trip each.
  const statuses = await Promise.all(ids.map((id) => pool.query<Pick<OrderRow, 'id' | 'status'>>('SELECT id, status FROM orders WHERE id = $1', [id])));
  res.json(statuses.map((r) => r.rows[0]));
});

// GET /orders/:id
ordersRouter.get('/:id', async (req, res) => {
  const { rows } = await pool.query<OrderRow>('SELECT id, customer_id, status, created_at FROM orders WHERE id = $1', [req.params.id]);
  if (rows.length === 0) {
    res.status(404).json({ error: 'order not found' });
    return;
  }
  const { rows: items } = await pool.query('SELECT sku, quantity, price_cents FROM order_items WHERE order_id = ANY($1)', [[rows[0].id]]);
  res.json({ ...rows[0], items });
});
