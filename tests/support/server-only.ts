// Stand-in for the "server-only" marker package outside the Next bundler (it has no runtime code).
export {};
