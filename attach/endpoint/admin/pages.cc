#include "attach/endpoint/admin/pages.h"

#include <cstdio>

namespace attach {
namespace endpoint {
namespace admin {
namespace {

using nlohmann::json;

std::string Head(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\"><title>" +
         HtmlEscape(title) +
         "</title><link rel=\"stylesheet\" href=\"/static/admin.css\">"
         "</head>\n";
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string Duration(int64_t s) {
  if (s < 0) s = 0;
  char buf[48];
  if (s >= 86400) {
    std::snprintf(buf, sizeof(buf), "%lldd %lldh", (long long)(s / 86400),
                  (long long)(s % 86400 / 3600));
  } else if (s >= 3600) {
    std::snprintf(buf, sizeof(buf), "%lldh %lldm", (long long)(s / 3600),
                  (long long)(s % 3600 / 60));
  } else {
    std::snprintf(buf, sizeof(buf), "%lldm %llds", (long long)(s / 60),
                  (long long)(s % 60));
  }
  return buf;
}

// One table cell; `label` names it on narrow screens, where each row
// becomes a card.
std::string Cell(const std::string& label, const std::string& html,
                 const std::string& cls = "") {
  return "<td data-label=\"" + label + "\"" +
         (cls.empty() ? "" : " class=\"" + HtmlEscape(cls) + "\"") + ">" +
         html + "</td>";
}

std::string ChecksRows(const json& health) {
  std::string rows;
  for (const json& c : health.value("checks", json::array())) {
    std::string st = Text(c, "status");
    rows += "<tr>" + Cell("check", HtmlEscape(Text(c, "name"))) +
            Cell("status", HtmlEscape(st), st) +
            Cell("detail", HtmlEscape(Text(c, "detail"))) + "</tr>\n";
  }
  return rows;
}

std::string ContainerRows(const json& containers) {
  std::string rows;
  for (const json& c : containers) {
    std::string id = Text(c, "id");
    std::string state = Text(c, "state");
    std::string when = state == "running"
                           ? "up " + Duration(c.value("uptime_s", int64_t{0}))
                       : state == "exited" ? "exit " + Text(c, "exit_code")
                                           : "";
    rows += "<tr>" + Cell("name", HtmlEscape(Text(c, "name"))) +
            Cell("id", "<code>" + HtmlEscape(id.substr(0, 12)) + "</code>") +
            Cell("image", HtmlEscape(Text(c, "image"))) +
            Cell("state", HtmlEscape(state), state) +
            Cell("uptime / exit", HtmlEscape(when)) +
            Cell("logs", "<a href=\"/containers/" + HtmlEscape(id) +
                             "/logs\">output</a> <a href=\"/containers/" +
                             HtmlEscape(id) + "/console.log\">console</a>") +
            "</tr>\n";
  }
  if (rows.empty()) rows = "<tr><td colspan=\"6\">no containers</td></tr>\n";
  return rows;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string LoginPage(const std::string& message) {
  std::string note = message.empty()
                         ? ""
                         : "<p class=\"error\">" + HtmlEscape(message) + "</p>";
  return Head("attachd admin: log in") +
         "<body><main class=\"login\"><h1>attachd admin</h1>" + note +
         "<form method=\"post\" action=\"/login\">"
         "<label for=\"password\">Password</label>"
         "<input id=\"password\" name=\"password\" type=\"password\" "
         "autocomplete=\"current-password\" required autofocus>"
         "<button type=\"submit\">Log in</button></form>"
         "<p class=\"hint\">The password is in <code>STATE_DIR/certs/"
         "admin-password</code> on the host.</p></main></body></html>\n";
}

std::string DashboardPage(const DashboardFacts& f) {
  std::string status = Text(f.health, "status");
  return Head("attachd admin: " + f.hostname) +
         "<body><header><h1>attachd on " + HtmlEscape(f.hostname) +
         "</h1><form method=\"post\" action=\"/logout\"><button "
         "type=\"submit\">Log out</button></form></header>\n<main>"
         "<p>Version " +
         HtmlEscape(f.version) +
         " &middot; up <span "
         "id=\"uptime\">" +
         Duration(f.uptime_s) +
         "</span> &middot; "
         "status <b id=\"status\" class=\"" +
         HtmlEscape(status) + "\">" + HtmlEscape(status) +
         "</b> &middot; signed in by " + HtmlEscape(f.who) +
         "</p>\n"
         "<h2>Health</h2><table><thead><tr><th>check</th><th>status</th>"
         "<th>detail</th></tr></thead><tbody id=\"checks\">" +
         ChecksRows(f.health) +
         "</tbody></table>\n<h2>Containers</h2><table><thead><tr><th>name"
         "</th><th>id</th><th>image</th><th>state</th><th>uptime / exit</th>"
         "<th>logs</th></tr></thead><tbody id=\"containers\">" +
         ContainerRows(f.containers) +
         "</tbody></table>\n<h2>attachd's logs</h2><ul>"
         "<li><a href=\"/logs/attachd.log\">attachd.log</a></li>"
         "<li><a href=\"/logs/security\">security lines</a> (refused "
         "keys, certificates and logins)</li>"
         "<li><a href=\"/logs/api.log\">api.log</a> (Docker API access)</li>"
         "<li><a href=\"/logs/admin.log\">admin.log</a> (this portal's "
         "access)</li>"
         "<li><a href=\"/logs/bundle.tar.gz\">bundle.tar.gz</a> (all logs, "
         "for a bug report)</li><li><a href=\"/health\">health</a> (JSON)"
         "</li></ul></main>\n<script src=\"/static/admin.js\"></script>"
         "</body></html>\n";
}

const std::string& StyleSheet() {
  static const std::string kCss = R"css(
body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{display:flex;justify-content:space-between;align-items:center;
 padding:.5em 1em;background:#234;color:#fff}
header h1{font-size:1.1em;margin:0}
main{padding:0 1em 2em;max-width:70em}
h2{font-size:1em;margin:1.5em 0 .5em}
table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}
th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;
 vertical-align:top;overflow-wrap:anywhere}
@media (max-width:40em){
 table,tbody,tr,td{display:block}thead{display:none}
 tr{border-bottom:1px solid #ccc;padding:.3em 0}td{border:0;padding:.1em .3em}
 td[data-label]::before{content:attr(data-label) ": ";color:#666}}
a{color:#036}
.ok,.running{color:#080}.degraded,.created{color:#a60}
.failing,.exited,.error{color:#b00}
.login{max-width:20em;margin:4em auto}
.login input,.login button{display:block;width:100%;font-size:1em;
 margin:.4em 0;padding:.5em;box-sizing:border-box}
.hint{color:#666;font-size:.9em}
button{cursor:pointer}
)css";
  return kCss;
}

const std::string& Script() {
  static const std::string kJs = R"js('use strict';
function esc(s){return String(s).replace(/[&<>"']/g,function(c){
 return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c];});}
function dur(s){s=Math.max(0,s|0);if(s>=86400)return ((s/86400)|0)+'d '+
 (((s%86400)/3600)|0)+'h';if(s>=3600)return ((s/3600)|0)+'h '+
 (((s%3600)/60)|0)+'m';return ((s/60)|0)+'m '+(s%60)+'s';}
function cell(label,v,cls){return '<td data-label="'+label+'"'+
 (cls?' class="'+esc(cls)+'"':'')+'>'+v+'</td>';}
function containers(list){
 if(!list.length)return '<tr><td colspan="6">no containers</td></tr>';
 return list.map(function(c){
  var id=esc(c.id),when=c.state==='running'?'up '+dur(c.uptime_s):
   c.state==='exited'?'exit '+esc(c.exit_code):'';
  return '<tr>'+cell('name',esc(c.name))+cell('id','<code>'+
   esc(c.id.slice(0,12))+'</code>')+cell('image',esc(c.image))+
   cell('state',esc(c.state),c.state)+cell('uptime / exit',when)+
   cell('logs','<a href="/containers/'+id+'/logs">output</a> '+
   '<a href="/containers/'+id+'/console.log">console</a>')+'</tr>';}
 ).join('');}
function checks(h){return h.checks.map(function(c){return '<tr>'+
 cell('check',esc(c.name))+cell('status',esc(c.status),c.status)+
 cell('detail',esc(c.detail))+'</tr>';}).join('');}
function get(url){return fetch(url,{credentials:'same-origin'}).then(
 function(r){if(r.status===401){location.href='/login';throw 0;}
 return r.json();});}
function refresh(){
 get('/containers.json').then(function(d){
  document.getElementById('containers').innerHTML=containers(d.containers);
  document.getElementById('uptime').textContent=dur(d.uptime_s);}
 ).catch(function(){});
 get('/health').then(function(h){
  document.getElementById('checks').innerHTML=checks(h);
  var s=document.getElementById('status');s.textContent=h.status;
  s.className=h.status;}).catch(function(){});}
setInterval(refresh,5000);
)js";
  return kJs;
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
