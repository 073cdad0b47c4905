// JSON Canvas preset colors as Obsidian shows them.
export const PRESETS = [
  { value: "1", name: "red" },
  { value: "2", name: "orange" },
  { value: "3", name: "yellow" },
  { value: "4", name: "green" },
  { value: "5", name: "cyan" },
  { value: "6", name: "purple" },
];

export const DEFAULT_COLOR = "3";

export function colorName(color) {
  if (color === null || color === undefined) return "no color";
  return PRESETS.find((p) => p.value === color)?.name ?? color;
}

/** The class of a swatch for the color ("c-3"), or none for hex colors. */
export function swatchClass(color) {
  if (color === null || color === undefined) return "swatch c-none";
  return PRESETS.some((p) => p.value === color) ? `swatch c-${color}` : "swatch";
}
