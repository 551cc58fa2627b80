// A service's application.properties as its prod profile (the images) sees it: continuation lines joined,
// %prod.x overriding x, every other profile's keys dropped. Shared by the chart checks that compare the chart with
// what the code configures (kafka.mjs, mtls.mjs).

/** Parses .properties text for the prod profile. */
export function parseProperties(text) {
  const base = {};
  const prod = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].trim();
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key.startsWith("%")) {
      const [profiles, ...rest] = key.slice(1).split(".");
      if (profiles.split(",").includes("prod")) prod[rest.join(".")] = value;
    } else base[key] = value;
  }
  return { ...base, ...prod };
}
