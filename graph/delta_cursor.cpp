#include "graph/delta_cursor.h"

#include "core/errors.h"
#include "oauth/json_access.h"

namespace calsync::graph {

std::string DeltaCursor::encode() const {
  json::Object root;
  root.set("v", 1);
  root.set("delta", delta_link);
  root.set("from", from);
  root.set("to", to);
  json::Array::Ptr s = new json::Array;
  for (const auto& id : singles) s->add(id);
  json::Array::Ptr m = new json::Array;
  for (const auto& id : series) m->add(id);
  root.set("singles", s);
  root.set("series", m);
  return json::stringify(root);
}

std::optional<DeltaCursor> DeltaCursor::decode(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    auto root = json::parseObject(text, "cursor");
    if (json::integer(root, "v") != 1) return std::nullopt;
    DeltaCursor cursor;
    cursor.delta_link = json::text(root, "delta");
    cursor.from = json::integer(root, "from");
    cursor.to = json::integer(root, "to");
    for (auto& id : json::strings(root, "singles")) cursor.singles.insert(id);
    for (auto& id : json::strings(root, "series")) cursor.series.insert(id);
    return cursor;
  } catch (const ConnectorError&) {
    return std::nullopt;
  }
}

}  // namespace calsync::graph
