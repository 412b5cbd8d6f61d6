import { Router } from 'express';
import { findCustomerByEmail } from '../db/customers';

export const customersRouter = Router();

// GET /customers/lookup?email=…
customersRouter.get('/lookup', async (req, res) => {
  const customer = await findCustomerByEmail(String(req.query.email ?? ''));
  if (!customer) {
    res.status(404).json({ error: 'customer not found' });
    return;
  }
  res.json(customer);
});
