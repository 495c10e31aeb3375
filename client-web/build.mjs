// Builds the browser client into dist/: src/main.js and its imports
// (chart.js included) bundled by esbuild into dist/app.js, plus the static
// page and the stylesheets (style.css; account.css for the pages of people
// and organisations; print.css for the printable minutes served by the
// server). Usage: `npm run build` (add `-- --watch` while
// developing).
import { build, context } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const watch = process.argv.includes("--watch");

const options = {
  entryPoints: [join(here, "src/main.js")],
  outfile: join(dist, "app.js"),
  bundle: true,
  format: "esm",
  target: ["es2020", "chrome90", "firefox90", "safari15"],
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  legalComments: "linked",
  charset: "utf8",
  logLevel: "info",
};

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
for (const file of ["index.html", "style.css", "account.css", "print.css", "favicon.svg"]) {
  await copyFile(join(here, file), join(dist, file));
}

if (watch) {
  const ctx = await context(options);
  await ctx.watch();
} else {
  await build(options);
}
