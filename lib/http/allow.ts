/** The `Allow` header of a path that implements these methods: HEAD comes with GET, OPTIONS always. */
export function allowHeader(implemented: readonly string[]) {
  return [...implemented, ...(implemented.includes("GET") ? ["HEAD"] : []), "OPTIONS"].sort().join(", ");
}
