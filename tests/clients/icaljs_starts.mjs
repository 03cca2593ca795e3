// Reads iCalendar files with Mozilla's ical.js (the parser in Thunderbird) the way a calendar client does:
// registers the file's VTIMEZONEs, then prints each timed event's start as a UTC instant, as JSON {uid: iso}.
// Usage: node icaljs_starts.mjs FILE...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const require = createRequire(pathToFileURL(path.join(process.cwd(), "package.json")));
const ICAL = (await import(pathToFileURL(require.resolve("ical.js")).href)).default;

const result = {};
for (const file of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const starts = {};
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    if (event.startDate.isDate) continue;
    starts[event.uid] = event.startDate.toJSDate().toISOString();
  }
  result[file] = starts;
}
process.stdout.write(JSON.stringify(result));
