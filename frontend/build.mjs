// Builds the assets the app serves from skillspassport/static/build/:
//   app.css                 GOV.UK Frontend styles with the scheme's branding (frontend/scss/app.scss)
//   govuk-frontend.min.js   GOV.UK Frontend's JavaScript (progressive enhancement only)
//   images/                 favicon and icons (the Crown and GDS Transport are not copied: they
//                           are for GOV.UK services only)
// Run with `npm run build`; `make install` runs it for you.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "skillspassport", "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(join(out, "images"), { recursive: true });

const result = sass.compile(join(root, "frontend", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), result.css);

copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
for (const image of ["favicon.svg"]) {
  copyFileSync(join(root, "frontend", "images", image), join(out, "images", image));
}
console.log(`Built ${out}`);
