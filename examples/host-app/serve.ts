// Runs the host app from the environment (the e2e test starts it this way, as its own process).
import { startHostApp } from "./app";

const need = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const port = Number(need("HOST_APP_PORT"));
await startHostApp({ port, heraldUrl: need("HERALD_URL"), appToken: need("HERALD_APP_TOKEN"), kid: need("HERALD_KID"), secret: need("HERALD_SECRET") });
console.log(`[host-app] http://localhost:${port}`);
