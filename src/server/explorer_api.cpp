// The explorer's answers over HTTP (see explorer_api.h).
#include "server/explorer_api.h"

#include "explore/queries.h"
#include "server/explorer_page.h"

namespace heapwise::server {

HttpResponse explorer_page_response() { return page_response(explorer_page()); }

HttpResponse explorer_answer(explore::SnapshotSet& set, const std::string& name, const HttpRequest& req) {
  const explore::Query query = explore::find_query(name);
  if (!query) return error_response(404, "no such question: " + name.substr(0, 100));
  try {
    return json_response(200, query(set, [&](const std::string& param) { return req.query_value(param); }));
  } catch (const explore::QueryError& e) {
    return error_response(e.status, e.what());
  } catch (const std::exception& e) {
    return error_response(500, std::string("the question failed: ") + e.what());
  }
}

}  // namespace heapwise::server
