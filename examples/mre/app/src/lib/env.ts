// MRE's server-side settings, read once at start-up.
export const env = {
  appUrl: process.env.APP_URL!,
  databaseUrl: process.env.DATABASE_URL!,
  sessionSecret: process.env.SESSION_SECRET!,
  trustProxy: process.env.TRUST_PROXY === "true",
  logLevel: process.env.LOG_LEVEL ?? "info",
  mailerDriver: process.env.MAILER_DRIVER ?? "console",
};

// Live timing is behind a flag nobody added to .env.example yet.
export const liveTiming = (process.env.FEATURE_LIVE_TIMING ?? "off") === "on";
