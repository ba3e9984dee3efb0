#!/usr/bin/env node
// The published bin is this committed file, not dist/cli.js itself: installing the workspace links
// bins before anything is built, and a bin pointing into dist/ made pnpm warn on a fresh clone.
import "../dist/cli.js";
