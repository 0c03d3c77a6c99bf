// Builds Homeward's front end into homeward/static/dist (gitignored):
//   css/app.css            our SCSS, with GOV.UK Frontend compiled in
//   govuk/govuk-frontend.min.js   GOV.UK Frontend's JavaScript (an ES module)
//   govuk/assets/          GOV.UK fonts and images
//   js/app.mjs             our small module: js-enabled body class and initAll()
// Run with `npm run build` from the project root.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const assets = join(root, "homeward", "assets");
const dist = join(root, "homeward", "static", "dist");

rmSync(dist, { recursive: true, force: true });
for (const dir of ["css", "js", "govuk"]) mkdirSync(join(dist, dir), { recursive: true });

const css = sass.compile(join(assets, "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(dist, "css", "app.css"), css.css);

cpSync(join(govuk, "assets"), join(dist, "govuk", "assets"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk", "govuk-frontend.min.js"));
cpSync(join(assets, "js"), join(dist, "js"), { recursive: true });

console.log(`Built front end into ${dist}`);
