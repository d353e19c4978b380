import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["@node-rs/argon2", "postgres", "pg-boss", "pg", "nodemailer", "web-push", "mailparser", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
