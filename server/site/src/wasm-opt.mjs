// `wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int` (cargo-leptos's release
// flags) on every module named after the first argument, npm's binaryen (whose index.js the
// first argument is), in one process. npm's wasm-opt is binaryen compiled to JavaScript: started
// once per module, loading it cost more than the optimising. Same passes and settings as the
// command (Stack IR included), so the output is byte for byte the command's.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [binaryenJs, ...files] = process.argv.slice(1);
const { default: binaryen } = await import(pathToFileURL(binaryenJs));

binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
binaryen.setGenerateStackIR(true);
binaryen.setOptimizeStackIR(true);
for (const file of files) {
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(module.getFeatures() | binaryen.Features.BulkMemory | binaryen.Features.NontrappingFPToInt);
  module.optimize();
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
