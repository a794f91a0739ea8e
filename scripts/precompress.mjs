// Writes name.gz (gzip -9) and name.br (brotli, quality 11) beside each .js, .wasm,
// .css and .html file under the given directory, for a static server that sends
// precompressed files (the mock's SDK origin does). A variant that would not be
// smaller is not written (the server then sends the file itself). Each variant
// takes its original's modification time, so Last-Modified is the same whichever
// encoding a browser gets.
//
//   node scripts/precompress.mjs dist
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const EXTENSIONS = [".js", ".wasm", ".css", ".html"];
const TEXT = [".js", ".css", ".html"];
const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/precompress.mjs <directory>");
  process.exit(2);
}

function* files(root) {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && EXTENSIONS.some((ext) => entry.name.endsWith(ext))) yield path;
  }
}

let raw = 0, gz = 0, br = 0;
for (const path of files(dir)) {
  const data = readFileSync(path);
  const { atime, mtime } = statSync(path);
  const ext = EXTENSIONS.find((e) => path.endsWith(e));
  const variants = {
    ".gz": gzipSync(data, { level: 9 }),
    ".br": brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: TEXT.includes(ext) ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  };
  raw += data.length;
  for (const [suffix, compressed] of Object.entries(variants)) {
    const out = path + suffix;
    if (compressed.length < data.length) {
      writeFileSync(out, compressed);
      utimesSync(out, atime, mtime);
    } else {
      rmSync(out, { force: true });
    }
  }
  gz += Math.min(variants[".gz"].length, data.length);
  br += Math.min(variants[".br"].length, data.length);
}
console.error(`precompress: ${raw} bytes -> gzip ${gz}, brotli ${br}`);
