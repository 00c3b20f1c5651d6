// The .heapsnapshot parser: top-level structure, header, integer arrays,
// strings, allocation traces; validation of every count and index.
#include "loader/snapshot_loader.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "loader/input_source.h"
#include "loader/json_text.h"
#include "util/progress.h"

namespace heapwise {

namespace {

using json_text::UintScan;

// Thrown only by the structural (cold) code of the parser and caught in
// load_snapshot(); the scanning loops report through return values.
struct ParseFailure {
  uint64_t offset;
  std::string message;
};

constexpr size_t kBatch = 4096;
constexpr size_t kMaxHeaderBytes = 16u << 20;
constexpr size_t kSplitThreshold = 16u << 20;  // split arrays bigger than this between threads

// ---------------------------------------------------------------------------
// The header: field layout and counts.

struct Meta {
  std::vector<std::string> node_fields, edge_fields, location_fields, trace_function_info_fields, trace_node_fields,
      sample_fields;
  uint64_t node_count = 0, edge_count = 0, trace_function_count = 0;
  bool has_sample_fields = false, has_location_fields = false;
};

int index_of(const std::vector<std::string>& v, const char* name) {
  auto it = std::find(v.begin(), v.end(), name);
  return it == v.end() ? -1 : static_cast<int>(it - v.begin());
}

// Where a key's text starts inside the captured header, for error offsets.
uint64_t key_offset(const std::string& text, uint64_t base, const char* key) {
  size_t at = text.find(std::string("\"") + key + "\"");
  return base + (at == std::string::npos ? 0 : at);
}

// ---------------------------------------------------------------------------
// Where the integer arrays go. store() checks and writes values
// [base, base+n); it may run on two threads for disjoint ranges. It returns n,
// or the position of the first bad value with *msg set.

class ArrayTarget {
 public:
  virtual ~ArrayTarget() = default;
  virtual size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) = 0;
  // Whether store() may be called from two threads for disjoint ranges.
  virtual bool splittable() const { return false; }
};

class NodeTarget final : public ArrayTarget {
 public:
  enum Role : uint8_t { kSkip, kType, kName, kId, kSelf, kEdges, kTrace, kDetached };
  NodeTarget(HeapGraph& g, const Meta& m) : g_(g), fields_(m.node_fields.size()), total_(m.node_count * fields_) {
    roles_.assign(fields_, kSkip);
    const std::pair<const char*, Role> known[] = {{"type", kType},
                                                  {"name", kName},
                                                  {"id", kId},
                                                  {"self_size", kSelf},
                                                  {"edge_count", kEdges},
                                                  {"trace_node_id", kTrace},
                                                  {"detachedness", kDetached}};
    for (auto& [name, role] : known) {
      int i = index_of(m.node_fields, name);
      if (i >= 0) roles_[static_cast<size_t>(i)] = role;
    }
  }
  uint64_t total() const { return total_; }
  bool splittable() const override { return true; }

  size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) override {
    if (base + n > total_) {
      *msg = "the nodes array holds more numbers than node_count × node_fields (" + std::to_string(total_) + ")";
      return static_cast<size_t>(total_ > base ? total_ - base : 0);
    }
    uint64_t node = base / fields_;
    size_t field = static_cast<size_t>(base % fields_);
    const size_t types = g_.node_type_names.size();
    for (size_t i = 0; i < n; ++i) {
      uint64_t x = v[i];
      switch (roles_[field]) {
        case kType:
          if (x >= types) {
            *msg = "node type " + std::to_string(x) + " is not in meta.node_types";
            return i;
          }
          g_.node_type[node] = static_cast<uint8_t>(x);
          break;
        case kName:
          if (x > 0xffffffffu) return bad32(msg, "node name", i);
          g_.node_name[node] = static_cast<uint32_t>(x);
          break;
        case kId:
          if (x > 0xffffffffu) return bad32(msg, "node id", i);
          g_.node_id[node] = static_cast<uint32_t>(x);
          break;
        case kSelf:
          if (SizeColumn::is_big(x)) {
            std::lock_guard<std::mutex> lock(big_mu_);
            g_.raw_self_sizes.set(node, x);
          } else {
            g_.raw_self_sizes.set(node, x);
          }
          break;
        case kEdges:
          if (x > 0xffffffffu) return bad32(msg, "edge_count", i);
          g_.first_edge[node] = static_cast<uint32_t>(x);
          break;
        case kTrace:
          if (x > 0xffffffffu) return bad32(msg, "trace_node_id", i);
          // Zero is the common value: leaving the page untouched keeps it out of RSS.
          if (x) g_.trace_node_id[node] = static_cast<uint32_t>(x);
          break;
        case kDetached:
          if (x > 255) {
            *msg = "detachedness " + std::to_string(x) + " is out of range";
            return i;
          }
          if (x) g_.detachedness[node] = static_cast<uint8_t>(x);
          break;
        case kSkip:
          break;
      }
      if (++field == fields_) {
        field = 0;
        ++node;
      }
    }
    return n;
  }

 private:
  static size_t bad32(std::string* msg, const char* what, size_t i) {
    *msg = std::string(what) + " does not fit in 32 bits";
    return i;
  }
  HeapGraph& g_;
  size_t fields_;
  uint64_t total_;
  std::vector<Role> roles_;
  std::mutex big_mu_;
};

class EdgeTarget final : public ArrayTarget {
 public:
  enum Role : uint8_t { kSkip, kType, kName, kTo };
  EdgeTarget(HeapGraph& g, const Meta& m, BigArray<uint8_t>& types)
      : g_(g),
        types_(types),
        fields_(m.edge_fields.size()),
        node_fields_(m.node_fields.size()),
        total_(m.edge_count * fields_) {
    roles_.assign(fields_, kSkip);
    roles_[static_cast<size_t>(index_of(m.edge_fields, "type"))] = kType;
    roles_[static_cast<size_t>(index_of(m.edge_fields, "name_or_index"))] = kName;
    roles_[static_cast<size_t>(index_of(m.edge_fields, "to_node"))] = kTo;
  }
  uint64_t total() const { return total_; }
  bool splittable() const override { return true; }

  size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) override {
    if (base + n > total_) {
      *msg = "the edges array holds more numbers than edge_count × edge_fields (" + std::to_string(total_) + ")";
      return static_cast<size_t>(total_ > base ? total_ - base : 0);
    }
    uint64_t edge = base / fields_;
    size_t field = static_cast<size_t>(base % fields_);
    const size_t types = g_.edge_type_names.size();
    const uint64_t node_end = static_cast<uint64_t>(g_.node_count) * node_fields_;
    for (size_t i = 0; i < n; ++i) {
      uint64_t x = v[i];
      switch (roles_[field]) {
        case kType:
          if (x >= types) {
            *msg = "edge type " + std::to_string(x) + " is not in meta.edge_types";
            return i;
          }
          types_[edge] = static_cast<uint8_t>(x);
          break;
        case kName:
          if (x > 0xffffffffu) {
            *msg = "edge name_or_index does not fit in 32 bits";
            return i;
          }
          g_.edge_name[edge] = static_cast<uint32_t>(x);
          break;
        case kTo:
          if (x % node_fields_ != 0) {
            *msg = "to_node " + std::to_string(x) + " is not a multiple of the node field count " +
                   std::to_string(node_fields_);
            return i;
          }
          if (x >= node_end) {
            *msg = "to_node " + std::to_string(x) + " points past the last node";
            return i;
          }
          g_.edge_to[edge] = static_cast<uint32_t>(x / node_fields_) << g_.edge_type_bits;
          break;
        case kSkip:
          break;
      }
      if (++field == fields_) {
        field = 0;
        ++edge;
      }
    }
    return n;
  }

 private:
  HeapGraph& g_;
  BigArray<uint8_t>& types_;  // packed into edge_to once the array is read
  size_t fields_, node_fields_;
  uint64_t total_;
  std::vector<Role> roles_;
};

// The other integer arrays (locations, samples, trace function infos) are
// kept whole as 64-bit values. The column is reserved up to what the file
// could hold (untouched pages cost nothing), so the two halves of a big
// locations array can be stored from two threads.
class VectorTarget final : public ArrayTarget {
 public:
  // whole: the input is mapped whole, so limit is the file's own size / 2.
  VectorTarget(uint64_t limit, const char* what, bool whole) : limit_(limit), what_(what), whole_(whole) {
    if (whole_) values.reserve(static_cast<size_t>(limit));
  }
  BigArray<uint64_t> values;  // the first (parsed count) entries are the array
  bool splittable() const override { return whole_; }
  size_t store(const uint64_t* v, size_t n, uint64_t base, std::string* msg) override {
    if (base + n > limit_) {
      *msg = std::string("the ") + what_ + " array is longer than the file can justify";
      return 0;
    }
    // Whole inputs were reserved up front (and may be stored from two
    // threads); streamed ones grow here, from one thread.
    if (!whole_ && base + n > values.size()) {
      if (base + n > values.bytes() / sizeof(uint64_t))
        values.reserve(std::max<size_t>(static_cast<size_t>(base + n), 2 * values.size()));
      values.resize(static_cast<size_t>(base + n));
    }
    if (n) std::memcpy(values.data() + base, v, n * sizeof(uint64_t));
    return n;
  }

 private:
  uint64_t limit_;
  const char* what_;
  bool whole_;
};

// ---------------------------------------------------------------------------

struct Section {
  uint64_t begin = 0, end = 0;  // byte offsets of '[' and after ']'
  bool seen = false;
};

class Parser {
 public:
  Parser(InputSource& src, HeapGraph& g, const LoadOptions& opt, Progress& progress)
      : src_(src), g_(g), opt_(opt), progress_(progress), p_(src.data()) {}

  void parse() {
    skip_ws();
    if (!ensure(1)) fail(p_, "file is empty");
    if (*p_ != '{') fail(p_, "not a heap snapshot: expected '{' at the start of the JSON");
    ++p_;
    skip_ws();
    if (!ensure(1)) fail(p_, "unexpected end of file: the top-level object is not closed");
    if (*p_ == '}') fail(p_, "empty JSON object: no snapshot header");
    for (;;) {
      skip_ws();
      const char* key_at = p_;
      std::string key = parse_key();
      skip_ws();
      expect(':');
      skip_ws();
      dispatch(key, key_at);
      skip_ws();
      if (!ensure(1)) fail(p_, "unexpected end of file: the top-level object is not closed");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        break;
      }
      fail(p_, "expected ',' or '}' after a top-level value");
    }
    skip_ws();
    if (ensure(1)) fail(p_, "unexpected data after the end of the JSON object");
    finish();
  }

 private:
  // --- window handling ---
  const char* end() const { return src_.data() + src_.size(); }
  uint64_t off(const char* q) const { return src_.offset() + static_cast<uint64_t>(q - src_.data()); }
  [[noreturn]] void fail(const char* q, std::string msg) const { throw ParseFailure{off(q), std::move(msg)}; }
  [[noreturn]] void fail_at(uint64_t offset, std::string msg) const { throw ParseFailure{offset, std::move(msg)}; }

  bool refill() {
    if (src_.at_eof()) return false;
    size_t consumed = static_cast<size_t>(p_ - src_.data());
    if (capture_) {
      capture_->append(capture_from_, p_);
      if (capture_->size() > kMaxHeaderBytes) fail(p_, "the \"snapshot\" header is larger than 16 MB");
    }
    size_t before = src_.size() - consumed;
    progress_.add(consumed);
    auto r = src_.advance(consumed);
    if (!r.ok()) throw ParseFailure{r.error().offset, r.error().message};
    p_ = src_.data();
    capture_from_ = p_;
    return src_.size() > before;
  }
  bool ensure(size_t n) {
    while (static_cast<size_t>(end() - p_) < n)
      if (!refill()) return false;
    return true;
  }
  void skip_ws() {
    for (;;) {
      while (p_ < end() && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
      if (p_ < end() || !refill()) return;
    }
  }
  void expect(char c) {
    if (!ensure(1)) fail(p_, std::string("unexpected end of file: expected '") + c + "'");
    if (*p_ != c) fail(p_, std::string("expected '") + c + "'");
    ++p_;
  }

  // --- strings ---
  // Decodes the JSON string at p_ (which must be '"'), passing decoded bytes
  // to out(const char*, size_t).
  template <typename Out>
  void decode_string(Out&& out) {
    const char* start = p_;
    uint64_t start_off = off(p_);
    expect('"');
    (void)start;
    for (;;) {
      size_t run = json_text::plain_run(p_, end());
      if (run) {
        out(p_, run);
        p_ += run;
      }
      if (p_ == end()) {
        if (!refill()) fail_at(start_off, "unexpected end of file inside a string");
        continue;
      }
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return;
      }
      if (c == '\\') {
        ensure(12);
        if (end() - p_ < 2) fail(p_, "unexpected end of file inside an escape");
        char e = p_[1];
        char ch;
        switch (e) {
          case '"':
            ch = '"';
            break;
          case '\\':
            ch = '\\';
            break;
          case '/':
            ch = '/';
            break;
          case 'b':
            ch = '\b';
            break;
          case 'f':
            ch = '\f';
            break;
          case 'n':
            ch = '\n';
            break;
          case 'r':
            ch = '\r';
            break;
          case 't':
            ch = '\t';
            break;
          case 'u': {
            if (end() - p_ < 6) fail(p_, "unexpected end of file inside a \\u escape");
            int cp = json_text::hex4(p_ + 2);
            if (cp < 0) fail(p_, "invalid \\u escape: expected 4 hex digits");
            size_t used = 6;
            uint32_t code = static_cast<uint32_t>(cp);
            if (cp >= 0xd800 && cp <= 0xdbff && end() - p_ >= 12 && p_[6] == '\\' && p_[7] == 'u') {
              int lo = json_text::hex4(p_ + 8);
              if (lo >= 0xdc00 && lo <= 0xdfff) {
                code = 0x10000 + ((static_cast<uint32_t>(cp) - 0xd800) << 10) + (static_cast<uint32_t>(lo) - 0xdc00);
                used = 12;
              }
            }
            char buf[4];
            out(buf, json_text::encode_wtf8(code, buf));
            p_ += used;
            continue;
          }
          default:
            fail(p_, std::string("invalid escape '\\") + (e >= 0x20 && e < 0x7f ? std::string(1, e) : "?") +
                         "' in a string");
        }
        out(&ch, 1);
        p_ += 2;
        continue;
      }
      if (c < 0x20) fail(p_, "control character inside a string (must be escaped)");
      ensure(4);
      size_t len =
          json_text::utf8_sequence(reinterpret_cast<const unsigned char*>(p_), static_cast<size_t>(end() - p_));
      if (!len) fail(p_, "invalid UTF-8 in a string");
      out(p_, len);
      p_ += len;
    }
  }

  std::string parse_key() {
    if (!ensure(1)) fail(p_, "unexpected end of file: expected a key");
    if (*p_ != '"') fail(p_, "expected a quoted key");
    std::string key;
    const char* at = p_;
    decode_string([&](const char* s, size_t n) {
      if (key.size() + n > 4096) fail(at, "key is too long");
      key.append(s, n);
    });
    return key;
  }

  // Skips any JSON value; with capture_ set, its text is copied there.
  void skip_value() {
    size_t depth = 0;
    for (;;) {
      skip_ws();
      if (!ensure(1)) fail(p_, "unexpected end of file inside a value");
      char c = *p_;
      if (c == '"') {
        decode_string([](const char*, size_t) {});
      } else if (c == '{' || c == '[') {
        ++depth;
        ++p_;
        continue;
      } else if (c == '}' || c == ']') {
        if (depth == 0) fail(p_, std::string("unexpected '") + c + "'");
        --depth;
        ++p_;
      } else if (c == ',' || c == ':') {
        if (depth == 0) fail(p_, std::string("unexpected '") + c + "'");
        ++p_;
        continue;
      } else if ((c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n') {
        const char* start = p_;
        for (;;) {
          while (p_ < end() && std::strchr("0123456789+-.eEtruefalsn", *p_) && *p_) ++p_;
          if (p_ < end() || !refill()) break;
        }
        if (p_ == start) fail(p_, "invalid literal");
      } else {
        fail(p_, "unexpected character in JSON value");
      }
      if (depth == 0) return;
    }
  }

  // --- sections ---
  void dispatch(const std::string& key, const char* key_at) {
    auto once = [&](Section& s) {
      if (s.seen) fail(key_at, "duplicate \"" + key + "\" section");
      s.seen = true;
    };
    auto need_header = [&] {
      if (!header_seen_) fail(key_at, "the \"" + key + "\" section comes before the \"snapshot\" header");
    };
    if (key == "snapshot") {
      if (header_seen_) fail(key_at, "duplicate \"snapshot\" header");
      parse_header();
    } else if (key == "nodes") {
      need_header();
      once(nodes_);
      NodeTarget t(g_, meta_);
      uint64_t n = parse_uint_array(t, nodes_, "nodes");
      if (n != t.total())
        fail_at(nodes_.end - 1, "the nodes array holds " + std::to_string(n) + " numbers, but node_count " +
                                    std::to_string(meta_.node_count) + " × " +
                                    std::to_string(meta_.node_fields.size()) +
                                    " fields = " + std::to_string(t.total()));
      finish_first_edges();
    } else if (key == "edges") {
      need_header();
      once(edges_);
      // Types are read into their own column (two threads may hold the two
      // halves of one edge) and packed into edge_to afterwards.
      BigArray<uint8_t> types(g_.edge_count);
      EdgeTarget t(g_, meta_, types);
      uint64_t n = parse_uint_array(t, edges_, "edges");
      if (n != t.total())
        fail_at(edges_.end - 1, "the edges array holds " + std::to_string(n) + " numbers, but edge_count " +
                                    std::to_string(meta_.edge_count) + " × " +
                                    std::to_string(meta_.edge_fields.size()) +
                                    " fields = " + std::to_string(t.total()));
      for (uint32_t e = 0; e < g_.edge_count; ++e) g_.edge_to[e] |= types[e];
    } else if (key == "locations") {
      need_header();
      once(locations_);
      VectorTarget t(src_.max_decoded_size() / 2, "locations", src_.whole());
      uint64_t n = parse_uint_array(t, locations_, "locations");
      build_locations(t.values.data(), static_cast<size_t>(n));
    } else if (key == "samples") {
      need_header();
      once(samples_);
      VectorTarget t(src_.max_decoded_size() / 2, "samples", src_.whole());
      uint64_t n = parse_uint_array(t, samples_, "samples");
      g_.samples.assign(t.values.data(), t.values.data() + n);
    } else if (key == "trace_function_infos") {
      need_header();
      once(trace_functions_);
      VectorTarget t(src_.max_decoded_size() / 2, "trace_function_infos", src_.whole());
      uint64_t n = parse_uint_array(t, trace_functions_, "trace_function_infos");
      build_trace_functions(t.values.data(), static_cast<size_t>(n));
    } else if (key == "trace_tree") {
      need_header();
      once(trace_tree_);
      parse_trace_tree();
    } else if (key == "strings") {
      once(strings_);
      parse_strings();
    } else {
      skip_value();  // unknown sections (newer producers) are allowed
    }
  }

  void parse_header() {
    header_seen_ = true;
    if (!ensure(1) || *p_ != '{') fail(p_, "the \"snapshot\" header must be an object");
    uint64_t begin = off(p_);
    std::string text;
    capture_ = &text;
    capture_from_ = p_;
    skip_value();
    capture_ = nullptr;
    if (text.size() + static_cast<size_t>(p_ - capture_from_) > kMaxHeaderBytes)
      fail_at(begin, "the \"snapshot\" header is larger than 16 MB");
    text.append(capture_from_, p_);
    nlohmann::json h;
    try {
      h = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      fail_at(begin + (e.byte ? e.byte - 1 : 0), std::string("malformed \"snapshot\" header"));
    }
    auto bad = [&](const char* key, const std::string& why) { fail_at(key_offset(text, begin, key), why); };
    auto strings_of = [&](const nlohmann::json& m, const char* key, bool required, std::vector<std::string>& out) {
      if (!m.contains(key)) {
        if (required) bad("meta", std::string("snapshot.meta has no \"") + key + "\"");
        return false;
      }
      const auto& a = m[key];
      if (!a.is_array()) bad(key, std::string("snapshot.meta.") + key + " is not an array");
      for (const auto& s : a) {
        if (!s.is_string()) bad(key, std::string("snapshot.meta.") + key + " holds a non-string");
        out.push_back(s.get<std::string>());
      }
      return true;
    };
    auto count_of = [&](const char* key, bool required, uint64_t& out) {
      if (!h.contains(key)) {
        if (required) fail_at(begin, std::string("the \"snapshot\" header has no \"") + key + "\"");
        return;
      }
      if (!h[key].is_number_unsigned()) bad(key, std::string("snapshot.") + key + " is not an unsigned integer");
      out = h[key].get<uint64_t>();
    };
    if (!h.is_object() || !h.contains("meta") || !h["meta"].is_object())
      fail_at(begin, "the \"snapshot\" header has no \"meta\" object");
    const auto& m = h["meta"];
    strings_of(m, "node_fields", true, meta_.node_fields);
    strings_of(m, "edge_fields", true, meta_.edge_fields);
    meta_.has_location_fields = strings_of(m, "location_fields", false, meta_.location_fields);
    strings_of(m, "trace_function_info_fields", false, meta_.trace_function_info_fields);
    strings_of(m, "trace_node_fields", false, meta_.trace_node_fields);
    meta_.has_sample_fields = strings_of(m, "sample_fields", false, meta_.sample_fields);
    for (const char* f : {"type", "name", "id", "self_size", "edge_count"})
      if (index_of(meta_.node_fields, f) < 0)
        bad("node_fields", std::string("snapshot.meta.node_fields lacks \"") + f + "\"");
    for (const char* f : {"type", "name_or_index", "to_node"})
      if (index_of(meta_.edge_fields, f) < 0)
        bad("edge_fields", std::string("snapshot.meta.edge_fields lacks \"") + f + "\"");
    auto type_names = [&](const char* key, const std::vector<std::string>& fields, std::vector<std::string>& out) {
      if (!m.contains(key) || !m[key].is_array())
        bad("meta", std::string("snapshot.meta has no \"") + key + "\" array");
      size_t at = static_cast<size_t>(index_of(fields, "type"));
      const auto& t = m[key];
      if (at >= t.size() || !t[at].is_array())
        bad(key, std::string("snapshot.meta.") + key + " has no list of type names");
      for (const auto& s : t[at]) {
        if (!s.is_string()) bad(key, std::string("snapshot.meta.") + key + " holds a non-string type name");
        out.push_back(s.get<std::string>());
      }
      if (out.empty() || out.size() > 255)
        bad(key, std::string("snapshot.meta.") + key + " must list 1 to 255 type names");
    };
    type_names("node_types", meta_.node_fields, g_.node_type_names);
    type_names("edge_types", meta_.edge_fields, g_.edge_type_names);
    count_of("node_count", true, meta_.node_count);
    count_of("edge_count", true, meta_.edge_count);
    count_of("trace_function_count", false, meta_.trace_function_count);
    count_of("extra_native_bytes", false, g_.extra_native_bytes);
    uint64_t root_index = 0;
    count_of("root_index", false, root_index);

    // Refuse claims the input cannot hold before allocating anything: every
    // number takes at least two bytes ("0,").
    const uint64_t cap = src_.max_decoded_size();
    const uint64_t nf = meta_.node_fields.size(), ef = meta_.edge_fields.size();
    if (meta_.node_count == 0) bad("node_count", "snapshot.node_count is 0: a snapshot has at least the root node");
    if (meta_.node_count >= 0xffffffffu || meta_.node_count > cap / (2 * nf))
      bad("node_count", "header claims " + std::to_string(meta_.node_count) + " nodes, more than " +
                            (src_.compressed() ? std::string("a compressed file of ") : std::string("a file of ")) +
                            std::to_string(src_.file_size()) + " bytes can hold");
    if (meta_.edge_count >= 0xffffffffu || meta_.edge_count > cap / (2 * ef))
      bad("edge_count", "header claims " + std::to_string(meta_.edge_count) + " edges, more than " +
                            (src_.compressed() ? std::string("a compressed file of ") : std::string("a file of ")) +
                            std::to_string(src_.file_size()) + " bytes can hold");
    if (root_index % nf != 0 || root_index / nf >= meta_.node_count)
      bad("root_index", "snapshot.root_index " + std::to_string(root_index) + " is not a node");
    g_.root = static_cast<NodeIndex>(root_index / nf);

    resolve_type_codes();
    const auto n = static_cast<size_t>(meta_.node_count), e = static_cast<size_t>(meta_.edge_count);
    g_.node_count = static_cast<uint32_t>(n);
    g_.edge_count = static_cast<uint32_t>(e);
    g_.node_type.resize(n);
    g_.node_name.resize(n);
    g_.node_id.resize(n);
    g_.raw_self_sizes = SizeColumn(n);
    g_.first_edge.resize(n + 1);
    if (index_of(meta_.node_fields, "trace_node_id") >= 0) g_.trace_node_id.resize(n);
    if (index_of(meta_.node_fields, "detachedness") >= 0) g_.detachedness.resize(n);
    while ((size_t{1} << g_.edge_type_bits) < g_.edge_type_names.size()) ++g_.edge_type_bits;
    if (n >= (size_t{1} << (32 - g_.edge_type_bits)))
      bad("node_count", "header claims " + std::to_string(n) + " nodes; heapwise handles up to " +
                            std::to_string(size_t{1} << (32 - g_.edge_type_bits)) + " nodes with " +
                            std::to_string(g_.edge_type_names.size()) + " edge types");
    g_.edge_name.resize(e);
    g_.edge_to.resize(e);
    if (meta_.has_sample_fields) g_.sample_field_count = static_cast<uint32_t>(meta_.sample_fields.size());
  }

  void resolve_type_codes() {
    auto code = [](const std::vector<std::string>& names, const char* name) { return index_of(names, name); };
    const auto& n = g_.node_type_names;
    auto& node_types = g_.node_types;
    node_types.hidden = code(n, "hidden");
    node_types.array = code(n, "array");
    node_types.string = code(n, "string");
    node_types.object = code(n, "object");
    node_types.code = code(n, "code");
    node_types.closure = code(n, "closure");
    node_types.regexp = code(n, "regexp");
    node_types.number = code(n, "number");
    node_types.native = code(n, "native");
    node_types.synthetic = code(n, "synthetic");
    node_types.cons_string = code(n, "concatenated string");
    node_types.sliced_string = code(n, "sliced string");
    node_types.symbol = code(n, "symbol");
    node_types.bigint = code(n, "bigint");
    node_types.object_shape = code(n, "object shape");
    const auto& e = g_.edge_type_names;
    auto& edge_types = g_.edge_types;
    edge_types.context = code(e, "context");
    edge_types.element = code(e, "element");
    edge_types.property = code(e, "property");
    edge_types.internal = code(e, "internal");
    edge_types.hidden = code(e, "hidden");
    edge_types.shortcut = code(e, "shortcut");
    edge_types.weak = code(e, "weak");
  }

  // Parses "[...]" of unsigned integers into target; returns the count.
  uint64_t parse_uint_array(ArrayTarget& target, Section& sec, const char* what) {
    if (!ensure(1) || *p_ != '[') fail(p_, std::string("the \"") + what + "\" section must be an array");
    sec.begin = off(p_);
    ++p_;
    uint64_t count = 0;
    if (src_.whole() && opt_.threads > 1 && target.splittable()) {
      const char* close = static_cast<const char*>(std::memchr(p_, ']', static_cast<size_t>(end() - p_)));
      if (close && close - p_ > static_cast<ptrdiff_t>(kSplitThreshold)) {
        const char* mid = p_ + (close - p_) / 2;
        const char* comma = static_cast<const char*>(std::memchr(mid, ',', static_cast<size_t>(close - mid)));
        if (comma) {
          count = parse_split(target, comma, close, what);
          sec.end = off(p_);
          return count;
        }
      }
    }
    UintScan st;
    std::vector<uint64_t> batch(kBatch);
    for (;;) {
      size_t n = 0;
      const char* start = p_;
      p_ = json_text::scan_uints(p_, end(), src_.at_eof(), st, batch.data(), kBatch, n);
      if (st.error) fail(st.error_at, st.error + std::string(" in \"") + what + "\"");
      store_batch(target, batch.data(), n, count, start, what);
      count += n;
      if (st.closed) break;
      if (n == 0 && p_ == start) {
        if (!refill()) fail(p_, std::string("unexpected end of file inside the \"") + what + "\" array");
      }
      if (src_.whole() && count % (kBatch * 1024) == 0) progress_.set(off(p_));
    }
    sec.end = off(p_);
    if (src_.whole()) {
      progress_.set(off(p_));
      src_.release(0, static_cast<size_t>(p_ - src_.data()));
    }
    return count;
  }

  void store_batch(ArrayTarget& target, const uint64_t* v, size_t n, uint64_t base, const char* text,
                   const char* what) {
    std::string msg;
    size_t ok = target.store(v, n, base, &msg);
    if (ok != n) fail_at(locate_value(text, ok), msg + " (\"" + what + "\" value #" + std::to_string(base + ok) + ")");
  }

  // Byte offset of the k-th number at or after text (the slow path of an error).
  uint64_t locate_value(const char* text, size_t k) const {
    const char* q = text;
    size_t seen = 0;
    while (q < end()) {
      if (*q >= '0' && *q <= '9') {
        if (seen == k) return off(q);
        ++seen;
        while (q < end() && *q >= '0' && *q <= '9') ++q;
      } else {
        ++q;
      }
    }
    return off(text);
  }

  // Two threads: [p_, comma) here and (comma, close] on a helper thread, the
  // second writing from the value index the first part will end at.
  uint64_t parse_split(ArrayTarget& target, const char* comma, const char* close, const char* what) {
    struct Part {
      const char* b = nullptr;
      const char* e = nullptr;
      uint64_t base = 0;
      uint64_t count = 0;
      UintScan st;
      uint64_t err_off = 0;
      std::string err;
    };
    Part first, second;
    first.b = p_;
    first.e = comma;
    second.b = comma + 1;
    second.e = close + 1;
    second.base = static_cast<uint64_t>(std::count(p_, comma, ',')) + 1;
    second.st.expect_value = true;
    second.st.any = true;
    auto run = [&](Part& part, bool report) {
      std::vector<uint64_t> batch(kBatch);
      const char* q = part.b;
      const char* released = q;
      while (q < part.e && !part.st.closed) {
        size_t n = 0;
        const char* start = q;
        q = json_text::scan_uints(q, part.e, true, part.st, batch.data(), kBatch, n);
        if (part.st.error) {
          part.err_off = off(part.st.error_at);
          part.err = part.st.error + std::string(" in \"") + what + "\"";
          return;
        }
        std::string msg;
        size_t ok = target.store(batch.data(), n, part.base + part.count, &msg);
        if (ok != n) {
          part.err_off = locate_value(start, ok);
          part.err = msg + " (\"" + what + "\" value #" + std::to_string(part.base + part.count + ok) + ")";
          return;
        }
        part.count += n;
        if (q - released > (32 << 20)) {
          // Each thread drops only the pages it has read itself.
          src_.release(static_cast<size_t>(released - src_.data()), static_cast<size_t>(q - src_.data()));
          if (report) progress_.add(static_cast<uint64_t>(q - released) * 2);
          released = q;
        }
        if (n == 0 && q == start) break;
      }
    };
    std::thread helper([&] { run(second, false); });
    run(first, true);
    helper.join();
    if (!first.err.empty()) fail_at(first.err_off, first.err);
    if (first.count != second.base || first.st.expect_value)
      fail(comma, std::string("malformed \"") + what + "\" array");
    if (!second.err.empty()) fail_at(second.err_off, second.err);
    if (!second.st.closed) fail(close, std::string("malformed \"") + what + "\" array");
    p_ = close + 1;
    progress_.set(off(p_));
    src_.release(0, static_cast<size_t>(p_ - src_.data()));
    return first.count + second.count;
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
      fail_at(nodes_.end - 1, "the nodes' edge_count fields add up to " +
                                  std::string(sum > meta_.edge_count ? "more than " : "") + std::to_string(sum) +
                                  ", but snapshot.edge_count is " + std::to_string(meta_.edge_count));
    fe[g_.node_count] = static_cast<uint32_t>(sum);
  }

  void build_locations(const uint64_t* v, size_t count) {
    if (!meta_.has_location_fields) return;
    const auto& f = meta_.location_fields;
    int oi = index_of(f, "object_index"), si = index_of(f, "script_id"), li = index_of(f, "line"),
        ci = index_of(f, "column");
    size_t lf = f.size();
    if (oi < 0 || si < 0 || li < 0 || ci < 0 || lf == 0)
      fail_at(locations_.begin, "snapshot.meta.location_fields lacks object_index, script_id, line or column");
    if (count % lf) fail_at(locations_.begin, "the locations array length is not a multiple of location_fields");
    const uint64_t nf = meta_.node_fields.size();
    std::vector<Location> locs;
    locs.reserve(count / lf);
    for (size_t i = 0; i < count; i += lf) {
      uint64_t obj = v[i + static_cast<size_t>(oi)];
      if (obj % nf || obj / nf >= meta_.node_count)
        fail_at(locations_.begin,
                "location #" + std::to_string(i / lf) + " object_index " + std::to_string(obj) + " is not a node");
      auto v32 = [&](int at) {
        return static_cast<uint32_t>(std::min<uint64_t>(v[i + static_cast<size_t>(at)], 0xffffffffu));
      };
      locs.push_back({static_cast<NodeIndex>(obj / nf), v32(si), v32(li), v32(ci)});
    }
    // One location per node; as in DevTools, a later entry replaces an earlier one.
    auto by_node = [](const Location& a, const Location& b) { return a.node < b.node; };
    if (!std::is_sorted(locs.begin(), locs.end(), by_node)) std::stable_sort(locs.begin(), locs.end(), by_node);
    g_.locations.reserve(locs.size());
    for (size_t i = 0; i < locs.size(); ++i)
      if (i + 1 == locs.size() || locs[i + 1].node != locs[i].node) g_.locations.push_back(locs[i]);
  }

  void build_trace_functions(const uint64_t* v, size_t count) {
    const auto& f = meta_.trace_function_info_fields;
    size_t n = f.size();
    if (n == 0) fail_at(trace_functions_.begin, "trace_function_infos without meta.trace_function_info_fields");
    if (count % n) fail_at(trace_functions_.begin, "the trace_function_infos length is not a multiple of its fields");
    int fid = index_of(f, "function_id"), nm = index_of(f, "name"), sn = index_of(f, "script_name"),
        sid = index_of(f, "script_id"), ln = index_of(f, "line"), col = index_of(f, "column");
    auto at = [&](size_t i, int k) -> uint32_t {
      return k < 0 ? 0 : static_cast<uint32_t>(std::min<uint64_t>(v[i + static_cast<size_t>(k)], 0xffffffffu));
    };
    for (size_t i = 0; i < count; i += n)
      g_.trace_function_infos.push_back({at(i, fid), at(i, nm), at(i, sn), at(i, sid), at(i, ln), at(i, col)});
  }

  // trace_tree: [id, function_info_index, count, size, [children...], ...]
  // (field order from meta.trace_node_fields), nested to any depth; walked
  // with an explicit stack.
  void parse_trace_tree() {
    const auto& f = meta_.trace_node_fields;
    const size_t nf = f.size();
    const int children = index_of(f, "children"), fid = index_of(f, "id"), ffi = index_of(f, "function_info_index"),
              fcount = index_of(f, "count"), fsize = index_of(f, "size");
    if (children < 0 || fid < 0) fail(p_, "trace_tree without meta.trace_node_fields (id, children)");
    trace_tree_.begin = off(p_);
    expect('[');
    std::vector<uint32_t> parents{kNoTraceNode};  // the node whose children list is open
    std::vector<uint64_t> values(nf, 0);
    size_t field = 0;
    for (;;) {
      skip_ws();
      if (!ensure(1)) fail(p_, "unexpected end of file inside \"trace_tree\"");
      char c = *p_;
      if (c == ']') {
        if (field != 0) fail(p_, "a trace_tree node is incomplete");
        ++p_;
        parents.pop_back();
        if (parents.empty()) break;
        field = static_cast<size_t>(children) + 1;  // the children array of the parent is done
        if (field == nf) field = 0;
      } else if (c == ',') {
        ++p_;
      } else if (c == '[') {
        if (static_cast<int>(field) != children) fail(p_, "unexpected array in \"trace_tree\"");
        ++p_;
        auto at = [&](int k) { return k < 0 ? 0 : values[static_cast<size_t>(k)]; };
        g_.trace_nodes.push_back({static_cast<uint32_t>(at(fid)), static_cast<uint32_t>(at(ffi)),
                                  static_cast<uint32_t>(at(fcount)), at(fsize), parents.back()});
        parents.push_back(static_cast<uint32_t>(g_.trace_nodes.size() - 1));
        field = 0;
        if (parents.size() > 100000000) fail(p_, "trace_tree is nested too deeply");
      } else if (c >= '0' && c <= '9') {
        if (static_cast<int>(field) == children || field >= nf) fail(p_, "unexpected number in \"trace_tree\"");
        uint64_t v = 0;
        int digits = 0;
        ensure(24);
        while (p_ < end() && *p_ >= '0' && *p_ <= '9') {
          if (++digits > 19) fail(p_, "number too large in \"trace_tree\"");
          v = v * 10 + static_cast<uint64_t>(*p_ - '0');
          ++p_;
        }
        values[field++] = v;
      } else {
        fail(p_, "unexpected character in \"trace_tree\"");
      }
    }
    trace_tree_.end = off(p_);
  }

  void parse_strings() {
    if (!ensure(1) || *p_ != '[') fail(p_, "the \"strings\" section must be an array");
    strings_.begin = off(p_);
    ++p_;
    auto& chars = g_.strings.chars();
    auto& offsets = g_.strings.offsets();
    // Decoded strings are never longer than their JSON text.
    if (src_.whole()) chars.reserve(static_cast<size_t>(end() - p_) + 16);
    uint64_t used = 0;
    offsets.push_back(0);
    auto append = [&](const char* s, size_t n) {
      if (used + n > chars.size()) {
        size_t want = std::max<size_t>(static_cast<size_t>(used + n), chars.size() * 2 + (1 << 20));
        if (src_.whole()) want = std::max<size_t>(static_cast<size_t>(used + n), chars.size());
        chars.resize(want);
      }
      std::memcpy(chars.data() + used, s, n);
      used += n;
    };
    if (src_.whole()) chars.resize(static_cast<size_t>(end() - p_) + 16);
    const char* released = p_;
    constexpr ptrdiff_t kReleaseStep = 64 << 20;
    skip_ws();
    if (ensure(1) && *p_ == ']') {
      ++p_;
    } else {
      for (;;) {
        skip_ws();
        if (!ensure(1)) fail(p_, "unexpected end of file inside the \"strings\" array");
        if (*p_ != '"') fail(p_, "expected a string in the \"strings\" array");
        decode_string(append);
        offsets.push_back(used);
        if ((offsets.size() & 0xffff) == 0 && src_.whole()) progress_.set(off(p_));
        if (src_.whole() && p_ - released > kReleaseStep) {
          // The text is copied into the arena: drop the file pages behind us,
          // or a big strings section would count twice in memory.
          src_.release(static_cast<size_t>(released - src_.data()), static_cast<size_t>(p_ - src_.data()));
          released = p_;
        }
        skip_ws();
        if (!ensure(1)) fail(p_, "unexpected end of file inside the \"strings\" array");
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        if (*p_ == ']') {
          ++p_;
          break;
        }
        fail(p_, "expected ',' or ']' in the \"strings\" array");
      }
    }
    strings_.end = off(p_);
    if (src_.whole()) src_.release(0, static_cast<size_t>(p_ - src_.data()));
  }

  // Checks that need the whole file: sections present, string indices.
  void finish() {
    uint64_t eof = off(p_);
    if (!header_seen_) fail_at(0, "no \"snapshot\" header");
    if (!nodes_.seen) fail_at(eof, "no \"nodes\" section");
    if (!edges_.seen) fail_at(eof, "no \"edges\" section");
    if (!strings_.seen) fail_at(eof, "no \"strings\" section");
    const uint32_t ns = static_cast<uint32_t>(g_.strings.size());
    for (uint32_t i = 0; i < g_.node_count; ++i)
      if (g_.node_name[i] >= ns)
        fail_at(locate_in(nodes_, static_cast<uint64_t>(i) * meta_.node_fields.size() +
                                      static_cast<uint64_t>(index_of(meta_.node_fields, "name"))),
                "node #" + std::to_string(i) + " (id " + std::to_string(g_.node_id[i]) + ") has name string index " +
                    std::to_string(g_.node_name[i]) + ", but there are " + std::to_string(ns) + " strings");
    for (uint32_t e = 0; e < g_.edge_count; ++e)
      if (g_.edge_has_string_name(e) && g_.edge_name[e] >= ns)
        fail_at(locate_in(edges_, static_cast<uint64_t>(e) * meta_.edge_fields.size() +
                                      static_cast<uint64_t>(index_of(meta_.edge_fields, "name_or_index"))),
                "edge #" + std::to_string(e) + " has name string index " + std::to_string(g_.edge_name[e]) +
                    ", but there are " + std::to_string(ns) + " strings");
    for (const auto& t : g_.trace_function_infos)
      if (t.name >= ns || t.script_name >= ns)
        fail_at(trace_functions_.begin, "a trace function info names a string index past the strings array");
  }

  // Offset of the k-th number of a section; for streamed input, where the
  // text is gone, the section's start.
  uint64_t locate_in(const Section& s, uint64_t k) const {
    if (!src_.whole()) return s.begin;
    const char* q = src_.data() + s.begin;
    const char* e = src_.data() + s.end;
    uint64_t seen = 0;
    while (q < e) {
      if (*q >= '0' && *q <= '9') {
        if (seen == k) return off(q);
        ++seen;
        while (q < e && *q >= '0' && *q <= '9') ++q;
      } else {
        ++q;
      }
    }
    return s.begin;
  }

  InputSource& src_;
  HeapGraph& g_;
  const LoadOptions& opt_;
  Progress& progress_;
  const char* p_;
  std::string* capture_ = nullptr;
  const char* capture_from_ = nullptr;
  bool header_seen_ = false;
  Meta meta_;
  Section nodes_, edges_, locations_, samples_, trace_functions_, trace_tree_, strings_;
};

}  // namespace

Result<std::unique_ptr<HeapGraph>> load_snapshot(const std::string& path, const LoadOptions& options,
                                                 LoadTimings* timings) {
  auto t0 = std::chrono::steady_clock::now();
  auto opened = InputSource::open(path);
  if (!opened.ok()) return opened.error();
  InputSource& src = **opened;
  auto graph = std::make_unique<HeapGraph>();
  try {
    Progress progress("loading", src.compressed() ? 0 : src.file_size(), options.progress);
    Parser parser(src, *graph, options, progress);
    parser.parse();
  } catch (const ParseFailure& f) {
    return Error{f.offset, f.message};
  } catch (const std::bad_alloc&) {
    return Error{0, "out of memory while loading"};
  }
  if (timings) timings->parse_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return graph;
}

}  // namespace heapwise
