// Credentials are shown masked everywhere in the page: enough to recognise one, never enough to use it.

/** Member names whose values are credentials (wire and camelCase spellings). */
const SECRET_KEYS = new Set([
  "apikey",
  "api_key",
  "x-api-key",
  "bearer",
  "authorization",
  "workspaceidentifier",
  "x-workspace-identifier",
  "accesstoken",
  "access_token",
  "token",
  "jws",
  "privatekey",
  "private_key",
]);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/** `eyJ0eX…Tw (812 chars)`; a PEM keeps only its armour line. */
export function mask(secret: string): string {
  if (secret === "") return "(empty)";
  const pem = /^-----BEGIN ([A-Z ]+)-----/.exec(secret.trim());
  if (pem) return `-----BEGIN ${pem[1]}----- ••••••• (${secret.length} chars, hidden)`;
  if (secret.length <= 12) return `${"•".repeat(Math.min(secret.length, 8))} (${secret.length} chars)`;
  return `${secret.slice(0, 6)}…${secret.slice(-4)} (${secret.length} chars)`;
}
