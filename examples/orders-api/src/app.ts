import express from 'express';
import { ordersRouter } from './routes/orders';
import { customersRouter } from './routes/customers';

export const app = express();

app.use(express.json());
app.use('/orders', ordersRouter);
app.use('/customers', customersRouter);
