// Reads a .heapsnapshot into a HeapGraph (see snapshot_loader.h): the
// top-level object, each section handed to its phase, and the checks that
// need the whole file. The phases:
//   snapshot_header  the "snapshot" header: field layout, types, counts
//   integer_arrays   nodes, edges and the other integer arrays (array_targets)
//   strings_section  the strings
//   traces           locations and allocation traces
// all reading through one JsonCursor over the InputSource.
#include "loader/snapshot_loader.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "loader/array_targets.h"
#include "loader/input_source.h"
#include "loader/integer_arrays.h"
#include "loader/json_cursor.h"
#include "loader/snapshot_header.h"
#include "loader/strings_section.h"
#include "loader/traces.h"
#include "util/in_parallel.h"
#include "util/progress.h"
#include "util/usable_cpus.h"

namespace heapwise {

namespace {

// A bound on the parse's threads: a scan this simple is bound by memory
// bandwidth long before (only 1 and 2 cores were measured here).
constexpr size_t kMostParseThreads = 16;

class SnapshotParser {
 public:
  SnapshotParser(InputSource& src, HeapGraph& g, const LoadOptions& options, Progress& progress)
      : in_(src, progress),
        g_(g),
        split_{options.threads ? options.threads : std::min<size_t>(usable_cpus(), kMostParseThreads),
               std::max<size_t>(options.chunk_bytes, 1)} {}

  void parse() {
    in_.skip_ws();
    if (!in_.ensure(1)) in_.fail(in_.pos, "file is empty");
    if (*in_.pos != '{') in_.fail(in_.pos, "not a heap snapshot: expected '{' at the start of the JSON");
    ++in_.pos;
    in_.skip_ws();
    if (!in_.ensure(1)) in_.fail(in_.pos, "unexpected end of file: the top-level object is not closed");
    if (*in_.pos == '}') in_.fail(in_.pos, "empty JSON object: no snapshot header");
    for (;;) {
      in_.skip_ws();
      const char* key_at = in_.pos;
      std::string key = in_.parse_key();
      in_.skip_ws();
      in_.expect(':');
      in_.skip_ws();
      const auto started = std::chrono::steady_clock::now();
      dispatch(key, key_at);
      section_seconds_.emplace_back(key,
                                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      in_.skip_ws();
      if (!in_.ensure(1)) in_.fail(in_.pos, "unexpected end of file: the top-level object is not closed");
      if (*in_.pos == ',') {
        ++in_.pos;
        continue;
      }
      if (*in_.pos == '}') {
        ++in_.pos;
        break;
      }
      in_.fail(in_.pos, "expected ',' or '}' after a top-level value");
    }
    in_.skip_ws();
    if (in_.ensure(1)) in_.fail(in_.pos, "unexpected data after the end of the JSON object");
    finish();
  }

  const std::vector<std::pair<std::string, double>>& section_seconds() const { return section_seconds_; }

 private:
  void dispatch(const std::string& key, const char* key_at) {
    auto once = [&](Section& s) {
      if (s.seen) in_.fail(key_at, "duplicate \"" + key + "\" section");
      s.seen = true;
    };
    auto need_header = [&] {
      if (!header_seen_) in_.fail(key_at, "the \"" + key + "\" section comes before the \"snapshot\" header");
    };
    if (key == "snapshot") {
      if (header_seen_) in_.fail(key_at, "duplicate \"snapshot\" header");
      header_seen_ = true;
      read_header(in_, g_, meta_);
    } else if (key == "nodes") {
      need_header();
      once(nodes_);
      NodeTarget t(g_, meta_);
      uint64_t n = read_uint_array(in_, t, nodes_, "nodes", split_);
      if (n != t.total())
        in_.fail_at(nodes_.end - 1, "the nodes array holds " + std::to_string(n) + " numbers, but node_count " +
                                        std::to_string(meta_.node_count) + " × " +
                                        std::to_string(meta_.node_fields.size()) +
                                        " fields = " + std::to_string(t.total()));
      // All-zero columns are dropped: a later pass reading them would bring
      // every page into memory (zeros included).
      if (!t.any_trace()) g_.trace_node_id.clear();
      if (!t.any_detached()) g_.detachedness.clear();
      finish_first_edges();
    } else if (key == "edges") {
      need_header();
      once(edges_);
      // Types are read into their own column (two threads may hold two
      // fields of one edge) and packed into edge_to afterwards; names are
      // read in four bytes and packed into three when they fit.
      BigArray<uint8_t> types(g_.edge_count);
      BigArray<uint32_t> names(g_.edge_count);
      EdgeTarget t(g_, meta_, types, names);
      uint64_t n = read_uint_array(in_, t, edges_, "edges", split_);
      if (n != t.total())
        in_.fail_at(edges_.end - 1, "the edges array holds " + std::to_string(n) + " numbers, but edge_count " +
                                        std::to_string(meta_.edge_count) + " × " +
                                        std::to_string(meta_.edge_fields.size()) +
                                        " fields = " + std::to_string(t.total()));
      for (uint32_t e = 0; e < g_.edge_count; ++e) g_.edge_to[e] |= types[e];
      types.clear();
      g_.edge_name = EdgeNameColumn(std::move(names));
    } else if (key == "locations") {
      need_header();
      once(locations_);
      // V8 writes at most one location per object (a function's position).
      check_location_fields(meta_, in_.pos, in_);
      LocationTarget t(meta_, g_.locations, in_.source().whole());
      uint64_t n = read_uint_array(in_, t, locations_, "locations", split_);
      finish_locations(meta_, n, t.fields(), locations_, g_);
    } else if (key == "samples") {
      need_header();
      once(samples_);
      // A sample is one heap statistics update while tracking (about 20 a
      // second): 2^24 of them are over a week of tracking.
      VectorTarget t = vector_target(
          "samples",
          std::max<uint64_t>(meta_.node_count, uint64_t{1} << 24) * std::max<size_t>(meta_.sample_fields.size(), 2),
          "max(node_count, 2^24) × sample fields");
      uint64_t n = read_uint_array(in_, t, samples_, "samples", split_);
      g_.samples.assign(t.values.data(), t.values.data() + n);
    } else if (key == "trace_function_infos") {
      need_header();
      once(trace_functions_);
      // Not bounded by snapshot.trace_function_count: V8 writes that count
      // before the functions its trace tree adds (a node 20 snapshot: 22 in
      // the header, 30 written).
      VectorTarget t = vector_target("trace_function_infos", 0, "");
      uint64_t n = read_uint_array(in_, t, trace_functions_, "trace_function_infos", split_);
      build_trace_functions(meta_, t.values.data(), static_cast<size_t>(n), trace_functions_, g_);
    } else if (key == "trace_tree") {
      need_header();
      once(trace_tree_);
      read_trace_tree(in_, meta_, trace_tree_, g_);
    } else if (key == "strings") {
      once(strings_);
      read_strings(in_, strings_, g_.strings, most_strings(), split_);
    } else {
      in_.skip_value();  // unknown sections (newer producers) are allowed
    }
  }

  // The target of an integer array with no count of its own: at most
  // `v8_limit` numbers, what V8 can write given the header (0: no count in
  // the header), and never more than the input can hold.
  VectorTarget vector_target(const char* what, uint64_t v8_limit, const char* why) {
    const uint64_t input_limit = in_.source().max_decoded_size() / 2;
    if (v8_limit && v8_limit < input_limit) return VectorTarget(v8_limit, what, why, in_.source().whole());
    return VectorTarget(input_limit, what, "more than the input can hold", in_.source().whole());
  }

  // V8 writes only the strings its nodes, edges and trace functions name
  // (and "<dummy>" first); other producers get some room. Without a header
  // yet, only the input's size bounds them.
  uint64_t most_strings() const {
    if (!header_seen_) return UINT64_MAX;
    return meta_.node_count + meta_.edge_count + 2 * g_.trace_function_infos.size() + 1024;
  }

  void finish_first_edges() {
    // first_edge holds each node's edge_count; turn it into offsets.
    uint64_t sum = 0;
    auto& fe = g_.first_edge;
    for (uint32_t i = 0; i < g_.node_count; ++i) {
      uint64_t c = fe[i];
      fe[i] = static_cast<uint32_t>(sum);
      sum += c;
      if (sum > meta_.edge_count) break;
    }
    if (sum != meta_.edge_count)
      in_.fail_at(nodes_.end - 1, "the nodes' edge_count fields add up to " +
                                      std::string(sum > meta_.edge_count ? "more than " : "") + std::to_string(sum) +
                                      ", but snapshot.edge_count is " + std::to_string(meta_.edge_count));
    fe[g_.node_count] = static_cast<uint32_t>(sum);
  }

  // Checks that need the whole file: sections present, string indices.
  // The first of [0, count) for which bad() holds, or count; the cores
  // share a range of more than a chunk's worth (about 8 bytes of text an
  // item), as they share the arrays.
  template <typename Bad>
  uint32_t first_bad(uint32_t count, const Bad& bad) const {
    const size_t threads = count > split_.chunk_bytes / 8 ? split_.threads : 1;
    std::vector<uint32_t> found(threads, count);
    on_threads(threads, [&](size_t t) {
      const Share share = share_of(count, t, threads);
      for (auto x = static_cast<uint32_t>(share.begin); x < share.end; ++x)
        if (bad(x)) {
          found[t] = x;
          return;
        }
    });
    return *std::min_element(found.begin(), found.end());
  }

  void finish() {
    uint64_t eof = in_.off(in_.pos);
    if (!header_seen_) in_.fail_at(0, "no \"snapshot\" header");
    if (!nodes_.seen) in_.fail_at(eof, "no \"nodes\" section");
    if (!edges_.seen) in_.fail_at(eof, "no \"edges\" section");
    if (!strings_.seen) in_.fail_at(eof, "no \"strings\" section");
    const uint32_t ns = static_cast<uint32_t>(g_.strings.size());
    const uint32_t i = first_bad(g_.node_count, [&](uint32_t n) { return g_.node_name[n] >= ns; });
    if (i < g_.node_count)
      in_.fail_at(locate_in(in_, nodes_,
                            static_cast<uint64_t>(i) * meta_.node_fields.size() +
                                static_cast<uint64_t>(index_of(meta_.node_fields, "name"))),
                  "node #" + std::to_string(i) + " (id " + std::to_string(g_.node_id[i]) + ") has name string index " +
                      std::to_string(g_.node_name[i]) + ", but there are " + std::to_string(ns) + " strings");
    const uint32_t e =
        first_bad(g_.edge_count, [&](uint32_t x) { return g_.edge_has_string_name(x) && g_.edge_name[x] >= ns; });
    if (e < g_.edge_count)
      in_.fail_at(locate_in(in_, edges_,
                            static_cast<uint64_t>(e) * meta_.edge_fields.size() +
                                static_cast<uint64_t>(index_of(meta_.edge_fields, "name_or_index"))),
                  "edge #" + std::to_string(e) + " has name string index " + std::to_string(g_.edge_name[e]) +
                      ", but there are " + std::to_string(ns) + " strings");
    for (const auto& t : g_.trace_function_infos)
      if (t.name >= ns || t.script_name >= ns)
        in_.fail_at(trace_functions_.begin, "a trace function info names a string index past the strings array");
  }

  JsonCursor in_;
  HeapGraph& g_;
  ArraySplit split_;
  bool header_seen_ = false;
  Meta meta_;
  Section nodes_, edges_, locations_, samples_, trace_functions_, trace_tree_, strings_;
  std::vector<std::pair<std::string, double>> section_seconds_;
};

}  // namespace

Result<std::unique_ptr<HeapGraph>> load_snapshot(const std::string& path, const LoadOptions& options,
                                                 LoadTimings* timings) {
  auto t0 = std::chrono::steady_clock::now();
  auto opened = InputSource::open(path);
  if (!opened.ok()) return opened.error();
  InputSource& src = **opened;
  auto graph = std::make_unique<HeapGraph>();
  // A file that shrank under the reader explains whatever went wrong after.
  try {
    Progress progress("loading", src.compressed() ? 0 : src.file_size(), options.progress);
    SnapshotParser parser(src, *graph, options, progress);
    parser.parse();
    if (timings) timings->section_seconds = parser.section_seconds();
  } catch (const ParseFailure& f) {
    if (auto shrank = src.shrank()) return *shrank;
    return Error{f.offset, f.message};
  } catch (const std::bad_alloc&) {
    return Error{0, "out of memory while loading"};
  }
  if (auto shrank = src.shrank()) return *shrank;
  if (timings) timings->parse_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return graph;
}

}  // namespace heapwise
