import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["@node-rs/argon2", "postgres", "pg-boss", "pg", "nodemailer", "web-push", "mailparser", "pino", "pino-pretty", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
