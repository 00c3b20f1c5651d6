// Fixes for one finding (see fix_text.h).
#include "patterns/fix_text.h"

#include <cctype>

namespace heapwise {

namespace {

// A name usable in example code: the program's own, else a placeholder.
std::string code_name(const std::string& name, const char* placeholder) {
  if (name.empty()) return placeholder;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$')) return placeholder;
  return name;
}

// The same for a property path the code can use as written: window.cache, Widget.all.
std::string code_path(const std::string& name, const char* placeholder) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return placeholder;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.')) return placeholder;
  return name;
}

}  // namespace

FixText growing_collection_fix(const std::string& kind, const std::string& name, const std::string& entry) {
  const std::string quoted = name.empty() ? "the collection" : "'" + name + "'";
  FixText fix;
  if (kind == "Map" || kind == "Set") {
    const std::string c = code_name(name, kind == "Map" ? "map" : "set");
    const bool map = kind == "Map";
    fix.advice = "Give " + quoted + " a bound or a lifetime: delete each " + entry +
                 " when its owner is done (on request end, on close), cap the size (drop the oldest past N, an "
                 "LRU), or expire entries (TTL).";
    fix.example = map ? c + ".set(key, value);\nres.on('close', () => " + c +
                            ".delete(key));  // when its owner is done, or cap it:\nif (" + c + ".size > 10_000) " + c +
                            ".delete(" + c + ".keys().next().value);  // the oldest first"
                      : c + ".add(value);\nres.on('close', () => " + c +
                            ".delete(value));  // when its owner is done, or cap it:\nif (" + c + ".size > 10_000) " +
                            c + ".delete(" + c + ".values().next().value);  // the oldest first";
    return fix;
  }
  if (kind == "Array") {
    const std::string c = code_name(name, "list");
    fix.advice = quoted + " keeps every " + entry +
                 " pushed into it: keep only the last N (or flush them to a log or a store and empty the array), "
                 "and remove an entry when what it stands for is done.";
    fix.example = c + ".push(entry);\nif (" + c + ".length > 1000) " + c + ".splice(0, " + c +
                  ".length - 1000);  // keep the last 1000";
    return fix;
  }
  const std::string c = code_name(name, "table");
  fix.advice = quoted + " is an object used as a dictionary that only gains keys: delete a key when its " + entry +
               " is done, or use a Map with a size cap or a TTL.";
  fix.example = c + "[key] = value;\n// when it is done:\ndelete " + c + "[key];";
  return fix;
}

FixText weak_collection_fix(const std::string& kind, const std::string& name) {
  const bool map = kind != "Set";
  const std::string weak = map ? "WeakMap" : "WeakSet";
  const std::string c = code_name(name, map ? "meta" : "seen");
  FixText fix;
  fix.advice = "A " + weak + " fits " + (name.empty() ? "this " + kind : "'" + name + "'") +
               ": its keys are objects, and a " + weak +
               " entry goes away with its key. Otherwise delete the entry "
               "when the key object is finished (" +
               c + ".delete(key) in its 'close' or 'end' handler).";
  fix.example =
      map ? "const " + c + " = new WeakMap();   // was: new Map()\n" + c + ".set(req, { startedAt: Date.now() });"
          : "const " + c + " = new WeakSet();   // was: new Set()\n" + c + ".add(obj);";
  return fix;
}

FixText registry_fix(const std::string& cls, const std::string& field) {
  const std::string c = code_name(cls, "Resource"), f = code_name(field, "instances");
  FixText fix;
  fix.advice = "Remove each " + cls + " from " + cls + "." + field +
               " when it is closed (a dispose()/close() that deletes it), or register it weakly: a WeakRef per "
               "entry with a FinalizationRegistry, or a WeakSet when the registry is only used for membership.";
  fix.example = "class " + c + " {\n  static " + f + " = new Set();   // a Set: removal is cheap\n  constructor() { " +
                c + "." + f + ".add(this); }\n  close() { " + c + "." + f + ".delete(this); }\n}";
  return fix;
}

FixText listener_fix(const std::string& emitter, const std::string& event) {
  const std::string e = code_name(emitter, "emitter");
  FixText fix;
  fix.advice = "Remove the '" + event + "' listener from " + (emitter.empty() ? "the emitter" : "'" + emitter + "'") +
               " when its owner is done (" + e + ".off('" + event + "', fn)), use " + e + ".once('" + event +
               "', fn) for a one-shot event, or subscribe once at startup instead of per request.";
  fix.example = "const onEvent = (...args) => { /* ... */ };\n" + e + ".on('" + event + "', onEvent);\n" +
                "// when the request / object is finished:\n" + e + ".off('" + event + "', onEvent);";
  return fix;
}

FixText detached_dom_fix(const std::string& kind, const std::string& name, const std::string& element) {
  const std::string quoted = name.empty() ? "the JavaScript that keeps them" : "'" + name + "'";
  const std::string what = element.empty() ? "element" : element;
  FixText fix;
  if (kind == "Map" || kind == "Set") {
    const std::string c = code_path(name, kind == "Map" ? "map" : "set");
    fix.advice = "Delete each " + what + " from " + quoted + " when it leaves the page (" + c +
                 ".delete(el) where it is removed), or make it a Weak" + kind +
                 ": its entries then go with their elements.";
    fix.example = "el.remove();\n" + c + ".delete(el);   // or make it a Weak" + kind;
  } else if (kind == "Array") {
    const std::string c = code_path(name, "elements");
    fix.advice = "Take each " + what + " out of " + quoted +
                 " when it leaves the page (or keep ids, not elements, and look them up with "
                 "document.getElementById); a WeakRef per entry fits a cache of elements.";
    fix.example = "el.remove();\nconst i = " + c + ".indexOf(el);\nif (i >= 0) " + c +
                  ".splice(i, 1);   // the array lets go of it too";
  } else {
    fix.advice = "Drop the reference " + quoted + " holds to each " + what +
                 " once it is removed from the page (set it to null, delete the property, remove the event handler "
                 "that closes over it), or hold it in a WeakMap/WeakRef.";
    fix.example = name.empty() ? "" : "el.remove();\n" + code_path(name, "holder") + " = null;";
  }
  return fix;
}

}  // namespace heapwise
