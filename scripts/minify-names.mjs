// Shortens the names a wasm module and its wasm-bindgen JS glue share: the import
// module ("./threeds-web_bg.js"), every import (`__wbg_origin_fba7d3755dd37895`) and
// every export (`threeds_load`) become one or two letters, in the wasm (binaryen's
// `--minify-imports-and-exports-and-modules`) and, from the mapping it prints, in the
// glue and its TypeScript declarations. The hashed names are nearly incompressible:
// this takes about 2 KB off each gzipped module. It also drops the `producers` and
// `target_features` sections, which no browser reads.
//
// Any name the mapping gives that the glue does not use exactly as wasm-bindgen
// writes it fails the build: a glue that no longer matches its wasm would only
// fail in a browser.
//
//   node scripts/minify-names.mjs <directory> <stem>...    e.g. dist threeds-host
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The features wasm-bindgen's output uses; binaryen must be told to parse them.
const FEATURES = [
  "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
];

const [dir, ...stems] = process.argv.slice(2);
if (!dir || stems.length === 0) {
  console.error("usage: node scripts/minify-names.mjs <directory> <stem>...");
  process.exit(2);
}

const fail = (message) => {
  console.error(`minify-names: ${message}`);
  process.exit(1);
};
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Replaces every match of `pattern` with `replacement`, as it is (a function
// replacer: binaryen's short names may contain `$`); there must be `expected`.
function replaceExactly(text, pattern, replacement, expected, what) {
  const count = (text.match(pattern) || []).length;
  if (count !== expected) {
    fail(`${what}: ${count} occurrences, expected ${expected}`);
  }
  return text.replace(pattern, () => replacement);
}

for (const stem of stems) {
  const wasmPath = join(dir, `${stem}_bg.wasm`);
  const jsPath = join(dir, `${stem}.js`);
  if (!existsSync(wasmPath) || !existsSync(jsPath)) fail(`${dir} has no ${stem}.js and ${stem}_bg.wasm`);
  const before = new WebAssembly.Module(readFileSync(wasmPath));
  const modules = new Set(WebAssembly.Module.imports(before).map((entry) => entry.module));
  if (modules.size !== 1) fail(`${wasmPath}: imports from ${modules.size} modules, expected 1`);
  const [oldModule] = modules;

  const output = `${wasmPath}.min`;
  const printed = execFileSync(
    "wasm-opt",
    [wasmPath, ...FEATURES, "--minify-imports-and-exports-and-modules", "--strip-producers", "--strip-target-features", "-o", output],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const mapping = JSON.parse(printed);
  const after = new WebAssembly.Module(readFileSync(output));
  const [newModule] = new Set(WebAssembly.Module.imports(after).map((entry) => entry.module));

  let js = readFileSync(jsPath, "utf8");
  js = replaceExactly(js, new RegExp(`"${escape(oldModule)}":`, "g"), `"${newModule}":`, 1, `the import module ${oldModule}`);
  for (const [, name, short] of mapping.imports) {
    // An import is a key of the glue's import object: `name: function(...)`.
    js = replaceExactly(js, new RegExp(`(?<![\\w$])${escape(name)}(?=:)`, "g"), short, 1, `the import ${name}`);
  }
  for (const [name, short] of mapping.exports) {
    // The glue reads exports as `wasm.name`; some (an abort hook) it never reads.
    js = js.replace(new RegExp(`(?<![\\w$])wasm\\.${escape(name)}(?![\\w$])`, "g"), () => `wasm.${short}`);
  }
  // Every export the glue reads must be one the new module has.
  const exported = new Set(WebAssembly.Module.exports(after).map((entry) => entry.name));
  for (const [, name] of js.matchAll(/(?<![\w$])wasm\.([\w$]+)/g)) {
    if (!exported.has(name)) fail(`${jsPath} reads wasm.${name}, which the minified module does not export`);
  }
  writeFileSync(jsPath, js);

  // The declarations of `init()`'s result (`InitOutput`) name the exports too.
  const dtsPath = join(dir, `${stem}.d.ts`);
  if (existsSync(dtsPath)) {
    let dts = readFileSync(dtsPath, "utf8");
    // Each export is declared there once, or not at all (the abort hooks).
    for (const [name, short] of mapping.exports) {
      const pattern = new RegExp(`(?<=readonly )${escape(name)}(?=:)`, "g");
      const declared = (dts.match(pattern) || []).length;
      if (declared > 1) fail(`${dtsPath}: the export ${name} is declared ${declared} times`);
      dts = dts.replace(pattern, () => short);
    }
    writeFileSync(dtsPath, dts);
  }
  renameSync(output, wasmPath);
}
