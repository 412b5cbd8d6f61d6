import { pool } from './pool';

export interface Customer {
  id: number;
  name: string;
  email: string;
}

export async function findCustomer(id: number): Promise<Customer | undefined> {
  const { rows } = await pool.query<Customer>('SELECT id, name, email FROM customers WHERE id = $1', [id]);
  return rows[0];
}

export async function findCustomerByEmail(email: string): Promise<Customer | undefined> {
  const { rows } = await pool.query<Customer>('SELECT id, name, email FROM customers WHERE email = $1', [email]);
  return rows[0];
}
