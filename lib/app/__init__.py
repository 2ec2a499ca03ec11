"""The app's process: settings, the runtime shared by pages and routes, and the simulator.

* `config` - `Settings` from the environment and ``.streamlit/secrets.toml``;
* `runtime` - one `Runtime` per process (log, client, tracker loop, embedded simulator);
* `protocols.AppRuntime` - what pages and view models need from it;
* `http_routes` - callbacks, health and archived assets beside the UI (`st.App`);
* `embedded` - starting the simulator when no key is configured;
* `sim_admin` - driving that simulator through its admin HTTP API.
"""
