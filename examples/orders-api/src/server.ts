import { app } from './app';

const port = Number(process.env.PORT ?? 3000);

// No SIGTERM handler and no health route: a rolling deploy drops in-flight
// requests, and the load balancer cannot tell a dead instance from a live one.
app.listen(port, () => {
  console.log(`orders-api listening on :${port}`);
});
