// curvelab serve: collects a class's labels. Serves the built page and a JSON API over
// cpp-httplib: POST /api/labels (anyone may append; each label checked by the core),
// GET /api/labels and /api/summary (the owner, with the bearer token), GET /healthz.

#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "collector.hpp"
#include "commands.hpp"
#include "curvelab/labels.hpp"
#include "curvelab/standings.hpp"

namespace curvelab::cli {
namespace {
using nlohmann::json;

constexpr const char* kHelp = R"(usage: curvelab serve [--port N] [--host ADDR] [--db sqlite:PATH | postgresql://...]
                      [--dist DIR] [--token-file F] [--new-token] [--allow-origin URL]...
                      [--max-body BYTES] [--max-labels N] [--rate N] [--threads N]

Serves the quiz page and collects every answer as a label. Students open the printed
link; their browsers send each label (kept in the browser first, sent again until the
server has it). The owner reads everything back with the token printed at the first start.

  --port N          TCP port (default 8080; 0 picks a free one, printed)
  --host ADDR       address to listen on (default 0.0.0.0: every interface, for a class)
  --db URL          sqlite:PATH (default sqlite:curvelab-labels.db) or postgresql://user@host/db
  --dist DIR        the built page to serve (default dist; npm run build makes it)
  --token-file F    write the owner token to F (mode 0600) instead of printing it
  --new-token       replace the owner token by a new one (the old one stops working)
  --allow-origin U  also accept labels from pages served at origin U (repeatable; * = any)
  --max-body BYTES  largest request body (default 1048576)
  --max-labels N    most labels in one request (default 500)
  --rate N          requests per minute per client address to /api (default 600; 0 = no limit)
  --threads N       worker threads (default 16)

API:
  POST /api/labels                   a JSON array of labels, or JSON lines; a result per label
  GET  /api/labels?format=jsonl|csv  every label (Authorization: Bearer TOKEN)
  GET  /api/summary                  agreement and standings (Authorization: Bearer TOKEN)
  GET  /healthz                      {"ok": true, ...} while the store answers
)";

constexpr const char* kTokenKey = "owner_token_sha256";

/// cpp-httplib listens with a backlog of 5 connections; a whole class connecting at once
/// needs more, and Linux lets a listening socket's backlog be raised by listening again.
class CollectorServer : public httplib::Server {
 public:
  void widen_backlog(int connections) { ::listen(svr_sock_, connections); }
};

struct ServeOptions {
  int port = 8080;
  std::string host = "0.0.0.0";
  std::string db = "sqlite:curvelab-labels.db";
  std::string dist = "dist";
  std::optional<std::string> token_file;
  bool new_token = false;
  std::vector<std::string> allowed_origins;
  CollectorLimits limits;
  int rate = 600;
  int threads = 16;
};

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump() + "\n", "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, json{{"error", message}});
}

/// The owner token: made at the first start (or with --new-token), shown once, kept hashed.
void ensure_token(LabelStore& store, const ServeOptions& options, std::ostream& out) {
  const auto stored = store.setting(kTokenKey);
  if (!stored) {
    throw CliError("--db: " + stored.error().message);
  }
  if (!stored->empty() && !options.new_token) {
    out << "owner token: already set (it was shown at the first start; --new-token makes another)\n";
    return;
  }
  const std::string token = new_owner_token();
  if (options.token_file) {
    std::error_code ignored;
    std::filesystem::remove(*options.token_file, ignored);  // a stale file from an earlier token
    const int fd = ::open(options.token_file->c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    const std::string text = token + "\n";
    if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      if (fd >= 0) {
        ::close(fd);
      }
      throw CliError("--token-file: cannot write \"" + *options.token_file + "\"");
    }
    ::close(fd);
  }
  if (auto set = store.set_setting(kTokenKey, token_digest(token)); !set) {
    throw CliError("--db: " + set.error().message);
  }
  if (options.token_file) {
    out << "owner token: written to " << *options.token_file << " (keep it: the server keeps only its hash)\n";
  } else {
    out << "owner token (shown this once; the server keeps only its hash): " << token << "\n";
  }
}

bool is_owner(const httplib::Request& req, LabelStore& store) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
    return false;
  }
  const auto digest = store.setting(kTokenKey);
  return digest && !digest->empty() && token_matches(std::string_view(header).substr(kBearer.size()), *digest);
}

/// The page learns that a collector is present from this tag (a static host has none).
void mark_collector(const httplib::Request& req, httplib::Response& res) {
  if (req.path.ends_with(".html") || req.path.ends_with("/")) {
    const auto head = res.body.find("</head>");
    if (head != std::string::npos) {
      res.body.insert(head, "<meta name=\"curvelab-collector\" content=\"api/labels\">\n");
    }
  }
  res.set_header("Cache-Control", "no-cache");
}

std::vector<json> parsed(const std::vector<std::string>& lines) {
  std::vector<json> labels;
  labels.reserve(lines.size());
  for (const std::string& line : lines) {
    labels.push_back(json::parse(line, nullptr, false));
  }
  return labels;
}

ServeOptions read_options(Args& args) {
  ServeOptions o;
  o.port = args.integer("port", 8080, 0, 65535);
  o.host = args.take("host").value_or(o.host);
  o.db = args.take("db").value_or(o.db);
  o.dist = args.take("dist").value_or(o.dist);
  o.token_file = args.take("token-file");
  o.new_token = args.take_switch("new-token");
  o.allowed_origins = args.take_all("allow-origin");
  o.limits.max_body_bytes = static_cast<std::size_t>(args.integer("max-body", 1024 * 1024, 1024, 64 * 1024 * 1024));
  o.limits.max_labels = args.integer("max-labels", 500, 1, 100000);
  o.rate = args.integer("rate", 600, 0, 1000000);
  o.threads = args.integer("threads", 16, 1, 256);
  args.finish();
  for (const std::string& origin : o.allowed_origins) {
    if (origin != "*" && !(origin.starts_with("http://") || origin.starts_with("https://"))) {
      throw CliError("--allow-origin must be * or an origin like https://example.org, got " + quote_value(origin));
    }
  }
  return o;
}

/// Whether a browser request from `origin` may use the API: its own origin always, the
/// configured ones, or any with --allow-origin '*'. Requests without Origin are not from
/// another page.
bool origin_allowed(const httplib::Request& req, const ServeOptions& options) {
  if (!req.has_header("Origin")) {
    return true;
  }
  const std::string origin = req.get_header_value("Origin");
  const std::string host = req.get_header_value("Host");
  if (origin == "http://" + host || origin == "https://" + host) {
    return true;
  }
  for (const std::string& allowed : options.allowed_origins) {
    if (allowed == "*" || allowed == origin) {
      return true;
    }
  }
  return false;
}
}  // namespace

int run_serve(Args& args, std::ostream& out) {
  if (args.wants_help()) {
    out << kHelp;
    return 0;
  }
  const ServeOptions options = read_options(args);
  auto opened = open_label_store(options.db, options.threads);
  if (!opened) {
    throw CliError("--db: " + opened.error().message);
  }
  LabelStore& store = *opened.value();
  ensure_token(store, options, out);

  CollectorServer server;
  server.new_task_queue = [threads = options.threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server.set_payload_max_length(options.limits.max_body_bytes);
  server.set_read_timeout(10);
  server.set_write_timeout(10);
  server.set_keep_alive_timeout(5);
  server.set_tcp_nodelay(true);  // a reply's header and body leave at once, never held for an ACK
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}});
  RateLimiter limiter(options.rate);

  server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (!req.path.starts_with("/api/")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    if (!origin_allowed(req, options)) {
      send_error(res, 403,
                 "origin " + json(req.get_header_value("Origin")).dump() +
                     " may not use this collector (start it with --allow-origin for that page)");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Origin")) {
      res.set_header("Access-Control-Allow-Origin", req.get_header_value("Origin"));
      res.set_header("Vary", "Origin");
    }
    if (req.method == "OPTIONS") {
      res.set_header("Access-Control-Allow-Methods", "POST, GET");
      res.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization");
      res.set_header("Access-Control-Max-Age", "600");
      res.status = 204;
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!limiter.allow(req.remote_addr)) {
      res.set_header("Retry-After", "10");
      send_error(res, 429,
                 "too many requests from this address: at most " + std::to_string(options.rate) + " per minute");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server.Post("/api/labels", [&](const httplib::Request& req, httplib::Response& res) {
    const IngestReply reply = ingest_labels(req.body, options.limits, store);
    send_json(res, reply.status, reply.body);
  });
  server.Get("/api/labels", [&](const httplib::Request& req, httplib::Response& res) {
    if (!is_owner(req, store)) {
      res.set_header("WWW-Authenticate", "Bearer");
      send_error(res, 401, "reading labels needs the owner token: Authorization: Bearer TOKEN");
      return;
    }
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "jsonl";
    if (format != "jsonl" && format != "csv") {
      send_error(res, 400, "format must be jsonl or csv, got " + json(format).dump());
      return;
    }
    const auto lines = store.lines();
    if (!lines) {
      send_error(res, 503, "the label store did not answer: " + lines.error().message);
      return;
    }
    res.status = 200;
    if (format == "csv") {
      res.set_header("Content-Disposition", "attachment; filename=\"curvelab-labels.csv\"");
      res.set_content(labels_to_csv(parsed(*lines)), "text/csv; charset=utf-8");
    } else {
      std::string text;
      for (const std::string& line : *lines) {
        text += line;
        text += '\n';
      }
      res.set_header("Content-Disposition", "attachment; filename=\"curvelab-labels.jsonl\"");
      res.set_content(text, "application/x-ndjson");
    }
  });
  server.Get("/api/summary", [&](const httplib::Request& req, httplib::Response& res) {
    if (!is_owner(req, store)) {
      res.set_header("WWW-Authenticate", "Bearer");
      send_error(res, 401, "the summary needs the owner token: Authorization: Bearer TOKEN");
      return;
    }
    const auto lines = store.lines();
    if (!lines) {
      send_error(res, 503, "the label store did not answer: " + lines.error().message);
      return;
    }
    const std::vector<json> labels = parsed(*lines);
    auto summary = label_summary(labels);
    if (!summary) {
      send_error(res, 422, "the stored labels cannot be summarised: " + summary.error().message);
      return;
    }
    json body = to_json(*summary);
    body["standings"] = label_standings(labels);
    send_json(res, 200, body);
  });
  server.Get("/healthz", [&](const httplib::Request&, httplib::Response& res) {
    const auto count = store.count();
    if (!count) {
      send_json(res, 503, json{{"ok", false}, {"error", count.error().message}});
      return;
    }
    send_json(res, 200, json{{"ok", true}, {"schema_version", store.schema_version()}});
  });
  server.set_error_handler(httplib::Server::HandlerWithResponse([&](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (res.status == 413) {
      send_error(res, 413,
                 "the request body must be at most " + std::to_string(options.limits.max_body_bytes) + " bytes");
    } else if (res.status == 404) {
      send_error(res, 404, "not found");
    } else {
      send_error(res, res.status, "the request was refused");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    // Method, path, status and client only: never a header (the token travels in one).
    std::cerr << utc_now() << ' ' << req.remote_addr << ' ' << req.method << ' ' << req.path << ' ' << res.status
              << '\n';
  });

  bool page = std::filesystem::is_regular_file(std::filesystem::path(options.dist) / "quiz.html");
  if (page) {
    server.set_mount_point("/", options.dist);
    server.set_file_request_handler(mark_collector);
  }

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port < 0) {
    throw CliError("--port: cannot listen on " + options.host + ":" + std::to_string(options.port));
  }

  server.widen_backlog(1024);

  // SIGINT and SIGTERM stop the server cleanly; a dedicated thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    server.stop();
  });
  stopper.detach();

  const std::string shown = options.host == "0.0.0.0" ? [] {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return std::string(name);
  }()
                                                      : options.host;
  out << "labels: " << store.describe() << " (schema version " << store.schema_version() << ")\n";
  if (page) {
    out << "share this link: http://" << shown << ":" << port << "/quiz.html\n";
  } else {
    out << "no page in " << options.dist << " (npm run build makes it): serving the API only\n";
  }
  out << "listening on http://" << options.host << ":" << port << "/\n";
  out.flush();
  server.listen_after_bind();
  out << "stopped\n";
  return 0;
}

}  // namespace curvelab::cli
