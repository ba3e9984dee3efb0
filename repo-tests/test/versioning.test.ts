// Independent versioning: the real `changeset version`, on a throwaway copy of the repo, with the repo's
// own .changeset/config.json. Each "would fail" case runs the same changeset under a config or a
// dependency graph we do NOT want, and shows the assertions of the real case would catch it.
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  type Bump,
  editJson,
  inc,
  type Snapshot,
  satisfiesCaret,
  versionInCopy,
  writeChangeset,
} from "./support/changesets.ts";
import { byName, publishable, ROOT, readJson, workspacePackages } from "./support/workspace.ts";

const TIMEOUT = 120_000;
const config = readJson(join(ROOT, ".changeset", "config.json"));
const publicPackages = publishable();
const privateNames = workspacePackages()
  .filter((p) => p.json.private)
  .map((p) => p.json.name);
const dirOf = (name: string) => byName(name).dir;
const versionOf = (name: string) => byName(name).json.version;
/** Publishable packages that need `name` at runtime (dependencies / peerDependencies). */
const dependentsOf = (name: string) =>
  publicPackages
    .filter((p) => p.json.dependencies?.[name] ?? p.json.peerDependencies?.[name])
    .map((p) => p.json.name)
    .sort();

/**
 * Publishable packages with `name` in `dependencies` (integrations such as @sdk/mcp): changesets gives
 * them a patch when `name` leaves their `^` range. Peers are not counted: a binding peering on an SDK
 * over its whole major (@sdk/query) is not bumped by an SDK minor.
 */
const dependingOn = (name: string) =>
  publicPackages
    .filter((p) => p.json.dependencies?.[name])
    .map((p) => p.json.name)
    .sort();

/** Every publishable package that needs `name` at runtime, directly or through another. */
function allDependentsOf(name: string): string[] {
  const found = new Set<string>();
  const visit = (dep: string) => {
    for (const next of dependentsOf(dep)) {
      if (found.has(next)) continue;
      found.add(next);
      visit(next);
    }
  };
  visit(name);
  return [...found].sort();
}

const pkgJson = (snap: Snapshot, name: string) => JSON.parse(snap[dirOf(name)]!.packageJson);
const changelog = (snap: Snapshot, name: string) => snap[dirOf(name)]!.changelog ?? "";
const files = (...names: string[]) =>
  names.flatMap((n) => [`${dirOf(n)}/CHANGELOG.md`, `${dirOf(n)}/package.json`]).sort();

/** The package.json changed in its version only (dependency ranges included: `workspace:^` stays). */
function expectOnlyVersionChanged(before: Snapshot, after: Snapshot, name: string, version: string) {
  const was = pkgJson(before, name);
  const now = pkgJson(after, name);
  expect(now.version, `${name} version`).toBe(version);
  expect({ ...now, version: was.version }, `${name}: nothing but the version changed`).toEqual(was);
}

describe.concurrent("independent versioning with changesets", () => {
  test(
    "config: independent versions, dependents' ranges updated on patch, private packages not versioned",
    () => {
      expect(config.fixed).toEqual([]);
      expect(config.linked).toEqual([]);
      expect(config.updateInternalDependencies).toBe("patch");
      expect(config.access).toBe("public");
      expect(config.privatePackages).toEqual({ version: false, tag: false });
      // A peer dependent (@sdk/query) is bumped only when the SDK leaves its peer range, and then by a major.
      expect(
        config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH?.onlyUpdatePeerDependentsWhenOutOfRange,
      ).toBe(true);
      // Only private packages may be ignored: an ignored public package would never be released.
      for (const name of config.ignore ?? [])
        expect(privateNames, `ignored ${name} is private`).toContain(name);
      expect(publicPackages.map((p) => p.json.name)).toEqual(
        expect.arrayContaining(["@sdk/errors", "@core/http", "@sdk/auth", "@sdk/iam", "@sdk/mock-api"]),
      );
    },
    TIMEOUT,
  ); // concurrent with copies of the repo being versioned: give it their time

  test(
    "a minor changeset for @sdk/iam bumps @sdk/iam; @sdk/auth is untouched, only packages built on @sdk/iam follow",
    async () => {
      const next = inc(versionOf("@sdk/iam"), "minor");
      const { before, after, changed, pending } = await versionInCopy((root) => {
        writeChangeset(root, "iam-feature", { "@sdk/iam": "minor" }, "Add listSigningKeys filters.");
      });
      // The integrations on top of the SDKs (@sdk/mcp) follow a release outside their ^0.x range with
      // a patch; no other package moves.
      const dependents = dependingOn("@sdk/iam");
      expect(dependents).toContain("@sdk/mcp");
      expect(dependents).not.toContain("@sdk/auth");
      expect(changed).toEqual(files("@sdk/iam", ...dependents));
      expectOnlyVersionChanged(before, after, "@sdk/iam", next);
      for (const name of dependents)
        expectOnlyVersionChanged(before, after, name, inc(versionOf(name), "patch"));
      const log = changelog(after, "@sdk/iam");
      expect(log).toContain(`## ${next}\n\n### Minor Changes\n`);
      expect(log).toContain("Add listSigningKeys filters.");
      expect(log.endsWith(changelog(before, "@sdk/iam").replace(/^# .*\n/, ""))).toBe(true); // history kept
      expect(pending, "the changeset is consumed").toEqual([]);
    },
    TIMEOUT,
  );

  test(
    "@sdk/query: its own changeset releases it alone; an SDK minor (in its peer range) leaves it alone",
    async () => {
      const own = await versionInCopy((root) => {
        writeChangeset(root, "query-feature", { "@sdk/query": "minor" }, "Add a factory.");
      });
      expect(own.changed).toEqual(files("@sdk/query"));
      expectOnlyVersionChanged(own.before, own.after, "@sdk/query", inc(versionOf("@sdk/query"), "minor"));
      // Both at once, as on the first release: @sdk/query stays on its own minor, not a major.
      const both = await versionInCopy((root) => {
        writeChangeset(root, "query-feature", { "@sdk/query": "minor" }, "Add a factory.");
        writeChangeset(root, "sdk-features", { "@sdk/iam": "minor", "@sdk/auth": "minor" }, "Add things.");
      });
      // @sdk/mcp depends on both SDKs (dependencies, not peers): it follows their minors with a patch.
      const integrations = [...new Set([...dependingOn("@sdk/auth"), ...dependingOn("@sdk/iam")])];
      expect(both.changed).toEqual(files("@sdk/auth", "@sdk/iam", "@sdk/query", ...integrations));
      expect(pkgJson(both.after, "@sdk/query").version).toBe(inc(versionOf("@sdk/query"), "minor"));
    },
    TIMEOUT,
  );

  test(
    "would fail: with `workspace:^` SDK peers, an SDK minor on 0.x makes @sdk/query a major",
    async () => {
      if (!versionOf("@sdk/iam").startsWith("0.")) return; // ^1.x accepts a minor
      const { after } = await versionInCopy((root) => {
        editJson(join(root, dirOf("@sdk/query"), "package.json"), (p) => {
          p.peerDependencies["@sdk/iam"] = "workspace:^";
        });
        writeChangeset(root, "iam-feature", { "@sdk/iam": "minor" }, "Add a thing.");
      });
      expect(pkgJson(after, "@sdk/query").version).toBe(inc(versionOf("@sdk/query"), "major"));
    },
    TIMEOUT,
  );

  test(
    "would fail: with a fixed group, the same @sdk/iam changeset bumps every package",
    async () => {
      const names = publicPackages.map((p) => p.json.name);
      const { changed } = await versionInCopy((root) => {
        editJson(join(root, ".changeset", "config.json"), (c) => {
          c.fixed = [names];
        });
        writeChangeset(root, "iam-feature", { "@sdk/iam": "minor" }, "Add a thing.");
      });
      expect(changed).not.toEqual(files("@sdk/iam"));
      expect(changed).toEqual(expect.arrayContaining(files(...names)));
    },
    TIMEOUT,
  );

  test(
    "would fail: if @sdk/auth depended on @sdk/iam, a minor @sdk/iam release would bump @sdk/auth too",
    async () => {
      const { changed } = await versionInCopy((root) => {
        editJson(join(root, dirOf("@sdk/auth"), "package.json"), (p) => {
          p.dependencies = { ...p.dependencies, "@sdk/iam": "workspace:^" };
        });
        writeChangeset(root, "iam-feature", { "@sdk/iam": "minor" }, "Add a thing.");
      });
      if (versionOf("@sdk/iam").startsWith("0.")) {
        expect(changed).toEqual(files("@sdk/auth", "@sdk/iam", ...dependingOn("@sdk/iam")));
      } else {
        // ^1.x accepts the minor: the dependent is not bumped, but the graph check in packaging.test.ts catches it.
        expect(changed).toEqual(files("@sdk/iam"));
      }
    },
    TIMEOUT,
  );

  test(
    "a patch changeset for @core/http releases @core/http; dependents keep their in-range `workspace:^` and are not bumped",
    async () => {
      // What changesets really does: a dependent is bumped only when the new version leaves its range.
      // `workspace:^` publishes as ^<version>, which accepts a patch, so @sdk/auth and @sdk/iam are not
      // re-released (their published ^x.y.z ranges already pick up the fix).
      const version = versionOf("@core/http");
      const next = inc(version, "patch");
      expect(satisfiesCaret(next, version), "precondition: not a 0.0.x version").toBe(true);
      const { before, after, changed } = await versionInCopy((root) => {
        writeChangeset(root, "http-fix", { "@core/http": "patch" }, "Retry on 503.");
      });
      expect(changed).toEqual(files("@core/http"));
      expectOnlyVersionChanged(before, after, "@core/http", next);
      expect(changelog(after, "@core/http")).toContain(`## ${next}\n\n### Patch Changes\n\n- Retry on 503.`);
    },
    TIMEOUT,
  );

  test(
    "would fail: with updateInternalDependents 'always', the same @core/http patch bumps its dependents",
    async () => {
      const { changed } = await versionInCopy((root) => {
        editJson(join(root, ".changeset", "config.json"), (c) => {
          c.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH = {
            ...c.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH,
            updateInternalDependents: "always",
          };
        });
        writeChangeset(root, "http-fix", { "@core/http": "patch" }, "Retry on 503.");
      });
      // Transitively: the SDKs, then what names them (@sdk/query through its peers, @sdk/mcp).
      expect(changed).toEqual(files("@core/http", ...allDependentsOf("@core/http")));
    },
    TIMEOUT,
  );

  test(
    "a @core/http release that leaves the dependents' range gives @sdk/auth and @sdk/iam a patch with 'Updated dependencies'",
    async () => {
      const version = versionOf("@core/http");
      // On 0.x a minor leaves ^0.y.z; from 1.0 on only a major does.
      const bump: Bump = version.startsWith("0.") ? "minor" : "major";
      const next = inc(version, bump);
      expect(satisfiesCaret(next, version)).toBe(false);
      const dependents = dependentsOf("@core/http");
      expect(dependents).toEqual(expect.arrayContaining(["@sdk/auth", "@sdk/iam"]));
      expect(dependents).not.toContain("@sdk/errors");
      expect(dependents).not.toContain("@sdk/mock-api");

      const { before, after, changed } = await versionInCopy((root) => {
        writeChangeset(root, "http-break", { "@core/http": bump }, "New hook signature.");
      });
      // errors, mock-api, the playground and every other private package untouched.
      expect(changed).toEqual(files("@core/http", ...dependents));
      expectOnlyVersionChanged(before, after, "@core/http", next);
      for (const name of dependents) {
        // updateInternalDependencies: "patch" — the range is updated; a `workspace:^` range stays
        // `workspace:^` in the repo (pnpm pack turns it into ^<new version> at publish).
        expectOnlyVersionChanged(before, after, name, inc(versionOf(name), "patch"));
        expect(pkgJson(after, name).dependencies["@core/http"]).toBe("workspace:^");
        expect(changelog(after, name)).toContain(
          `## ${inc(versionOf(name), "patch")}\n\n### Patch Changes\n\n- Updated dependencies\n  - @core/http@${next}`,
        );
      }
    },
    TIMEOUT,
  );
});
