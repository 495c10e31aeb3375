// A QR code as an SVG built through DOM APIs (no markup is parsed): the
// modules come from the `qrcode` package's encoder, one <path> draws the
// dark ones, so the code stays sharp on screen and in print.
import QRCode from "qrcode";

const SVG = "http://www.w3.org/2000/svg";
const QUIET = 4; // modules of white margin around the code (ISO/IEC 18004)

// qrSvg("https://…/setup/…", {label: "設定用リンクのQRコード"}) → <svg>
export function qrSvg(text, { label = "", errorCorrectionLevel = "M", className = "qr" } = {}) {
  const code = QRCode.create(String(text), { errorCorrectionLevel });
  const size = code.modules.size;
  const full = size + QUIET * 2;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${full} ${full}`);
  svg.setAttribute("class", className);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.setAttribute("role", "img");
  if (label) svg.setAttribute("aria-label", label);
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(full));
  background.setAttribute("height", String(full));
  background.setAttribute("fill", "#fff");
  svg.appendChild(background);
  let d = "";
  for (let row = 0; row < size; row += 1) {
    for (let col = 0; col < size; col += 1) {
      if (code.modules.get(row, col)) d += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
    }
  }
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.appendChild(path);
  return svg;
}
