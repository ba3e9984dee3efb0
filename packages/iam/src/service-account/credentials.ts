import { TOKEN_CACHE_FACTORY } from "../api.js";
import { InvalidCredentialsError } from "../errors.js";
import { holdKey, holdsKey } from "./key-material.js";
import { pemToPkcs8 } from "./pem.js";
import { serviceAccountTokensFor } from "./tokens.js";

/** The credentials file as issued (see spec/iam-service-accounts.md). */
export interface ServiceAccountCredentialsFile {
  /** PKCS#8 PEM of an RSA key ("BEGIN PRIVATE KEY"); real or escaped `\n` newlines. */
  privateKey: string;
  name: string;
  organization: string;
  type?: "serviceAccount" | (string & {});
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function inspectCredentials(this: ServiceAccountCredentials): string {
  return `ServiceAccountCredentials ${JSON.stringify({ name: this.name, organization: this.organization })}`;
}

function requireString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (value === undefined || value === null) throw new InvalidCredentialsError(field, "is missing");
  if (typeof value !== "string")
    throw new InvalidCredentialsError(field, `must be a string, not ${typeof value}`);
  if (value.trim() === "") throw new InvalidCredentialsError(field, "is empty");
  return value;
}

/** A credentials file is about 2 KB: a string input past this is refused before JSON parsing. */
const MAX_FILE_CHARS = 64 * 1024;

function toRecord(input: unknown): Record<string, unknown> {
  if (typeof input === "string") {
    if (input.length > MAX_FILE_CHARS) {
      throw new InvalidCredentialsError(
        "",
        `are larger than ${MAX_FILE_CHARS / 1024} KiB; not a credentials file`,
      );
    }
    const text = input.trim();
    if (text.startsWith("-----BEGIN")) {
      throw new InvalidCredentialsError(
        "",
        "are a bare PEM key; pass the whole credentials file ({ privateKey, name, organization, type })",
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // No cause attached: JSON.parse's message quotes the input, which holds the key.
      throw new InvalidCredentialsError("", "are not valid JSON");
    }
    input = parsed;
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new InvalidCredentialsError("", "must be a JSON object ({ privateKey, name, organization, type })");
  }
  return input as Record<string, unknown>;
}

/**
 * Parsed service-account credentials: `name` and `organization` are plain fields; the private key is
 * held out of reach of serialization and inspection, and is only ever used to sign.
 */
export class ServiceAccountCredentials {
  readonly type = "serviceAccount" as const;
  readonly name: string;
  readonly organization: string;

  private constructor(name: string, organization: string) {
    this.name = name;
    this.organization = organization;
    // Symbol-keyed members live on the instance, not in the class body: a computed key makes bundlers
    // keep the class, and with it the token machinery, in apps that never parse credentials.
    Object.defineProperties(this, {
      [INSPECT]: { value: inspectCredentials },
      // How an IamCore creates its token cache (see TOKEN_CACHE_FACTORY in api.ts).
      [TOKEN_CACHE_FACTORY]: { value: serviceAccountTokensFor },
    });
  }

  /** See `parseServiceAccountCredentials`. */
  static parse(
    input: string | ServiceAccountCredentialsFile | ServiceAccountCredentials,
  ): ServiceAccountCredentials {
    if (input instanceof ServiceAccountCredentials && holdsKey(input)) return input;
    const record = toRecord(input);
    if (record.type !== undefined && record.type !== "serviceAccount") {
      throw new InvalidCredentialsError("type", 'must be "serviceAccount"');
    }
    const privateKey = requireString(record, "privateKey");
    const name = requireString(record, "name");
    const organization = requireString(record, "organization");
    const der = pemToPkcs8(privateKey);
    const credentials = Object.freeze(new ServiceAccountCredentials(name, organization));
    holdKey(credentials, der);
    return credentials;
  }

  /** Only what identifies the account: never the key. */
  toJSON(): { type: "serviceAccount"; name: string; organization: string } {
    return { type: this.type, name: this.name, organization: this.organization };
  }

  toString(): string {
    return `ServiceAccountCredentials(${this.name}, ${this.organization})`;
  }
}

/**
 * Reads a service-account credentials file as issued: its JSON text or the parsed object. The PEM may
 * carry real or escaped (`\\n`) newlines. A malformed file throws `InvalidCredentialsError` naming the
 * bad field; the key never appears in the error.
 */
export function parseServiceAccountCredentials(
  input: string | ServiceAccountCredentialsFile | ServiceAccountCredentials,
): ServiceAccountCredentials {
  return ServiceAccountCredentials.parse(input);
}
