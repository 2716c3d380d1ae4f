"""The development JupyterLab server for Labbook.

Debian's jupyter_server 1.23 and jupyterlab_server 2.16 serve the JupyterLab
4 frontend built in dev/app from npm packages (PyPI is not reachable here, so
the `jupyterlab` Python package is not available). Three endpoints the 4.x
frontend calls do not exist in jupyter_server 1.x; see docs/dev-app.md:

- GET /api/me: the identity API (JupyterLab 4 waits for it before the user
  manager is ready). Answered from the logged-in user.
- /api/events/subscribe: the event-bus WebSocket. Accepted and left idle:
  jupyter_server 1.x emits no events, so there is nothing to forward.
- GET /api/resolvePath: which file a path printed in an output names (for
  the links JupyterLab 4 puts on such paths), relative to the server root
  or the kernel's working folder.

Run with Debian's Python: /usr/bin/python3 dev/server/main.py [--ServerApp...].
"""

import os
import sys

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
from jupyterlab_server import LabServerApp
from tornado import web, websocket
from traitlets import default

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
APP_BUILD = os.path.join(ROOT, "dev", "app", "build")
STATE = os.environ.get("LABBOOK_DEV_STATE", os.path.join(ROOT, "dev", "state"))


class IdentityHandler(APIHandler):
    """GET /api/me for jupyter_server 1.x: who is logged in, no permissions."""

    @web.authenticated
    def get(self):
        user = self.current_user
        if isinstance(user, dict):
            username = str(user.get("name") or user.get("username") or "user")
        else:
            username = str(user or "user")
        display = "Labbook user" if len(username) > 20 else username
        initials = "".join(part[:1] for part in display.split()[:2]).upper() or "U"
        self.finish(
            {
                "identity": {
                    "username": username,
                    "name": display,
                    "display_name": display,
                    "initials": initials,
                    "avatar_url": None,
                    "color": None,
                },
                "permissions": {},
            }
        )


class ResolvePathHandler(APIHandler):
    """GET /api/resolvePath?path=...&kernel=... for jupyter_server 1.x.

    Answers {"resolved": [{"scope", "path"}], "unresolved": [...]}: a file
    under the server root is given by its server path; one only the kernel
    can see (outside the root) by its absolute path with scope "kernel".
    """

    @web.authenticated
    def get(self):
        path = self.get_argument("path", "")
        kernel_id = self.get_argument("kernel", "")
        root = os.path.realpath(self.settings.get("server_root_dir") or os.getcwd())
        bases = [root]
        cwd = self._kernel_cwd(kernel_id)
        if cwd:
            bases.insert(0, cwd)
        resolved = []
        expanded = os.path.expanduser(path)
        for base in bases:
            full = os.path.realpath(os.path.join(base, expanded))
            if not os.path.exists(full):
                continue
            if full == root or full.startswith(root + os.sep):
                location = {"scope": "server", "path": os.path.relpath(full, root).replace(os.sep, "/")}
            else:
                location = {"scope": "kernel", "path": full}
            if location not in resolved:
                resolved.append(location)
        self.finish({"resolved": resolved, "unresolved": [] if resolved else [{"scope": "server", "path": path}]})

    def _kernel_cwd(self, kernel_id):
        if not kernel_id:
            return None
        try:
            kernel = self.kernel_manager.get_kernel(kernel_id)
        except KeyError:
            return None
        cwd = (getattr(kernel, "_launch_args", None) or {}).get("cwd")
        return os.path.realpath(cwd) if cwd else None


class EventsSubscribeHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """The /api/events/subscribe WebSocket: accepted, never sends anything."""

    def set_default_headers(self):
        # WebSocket upgrades must not carry JupyterHandler's default headers.
        pass

    def get(self, *args, **kwargs):
        if self.get_current_user() is None:
            raise web.HTTPError(403)
        return super().get(*args, **kwargs)

    def on_message(self, message):
        pass


class LabbookDevApp(LabServerApp):
    """JupyterLab 4 (from npm) + Labbook, on Debian's Jupyter server."""

    name = "labbook-dev"
    app_name = "JupyterLab"
    app_version = "4.6.4"
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False

    static_dir = APP_BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(APP_BUILD, "schemas")
    themes_dir = os.path.join(APP_BUILD, "themes")
    app_settings_dir = os.path.join(HERE, "app_settings")
    user_settings_dir = os.path.join(STATE, "user-settings")
    workspaces_dir = os.path.join(STATE, "workspaces")

    @default("extra_labextensions_path")
    def _default_extra_labextensions_path(self):
        return [os.environ.get("LABBOOK_LABEXTENSIONS", os.path.join(ROOT, ".cache", "labextensions"))]

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.extend(
            [
                (r"/api/me", IdentityHandler),
                (r"/api/events/subscribe", EventsSubscribeHandler),
                (r"/api/resolvePath", ResolvePathHandler),
            ]
        )


def _jupyter_server_extension_points():
    # jupyter_server finds the app being launched through its module.
    return [{"module": __name__, "app": LabbookDevApp}]


if __name__ == "__main__":
    sys.exit(LabbookDevApp.launch_instance())
