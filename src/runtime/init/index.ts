/** `cmc init`'s runtime side: finding a template, and planning and writing a project's first files. */
export { BUILTIN_TEMPLATES, resolveTemplate, TemplateError, type Template } from "./template.js";
export { configText, existing, planProject, writePlanned, WORKFLOWS_DIR, type PlannedFile, type AgentEntry, type RoleEntry } from "./scaffold.js";
