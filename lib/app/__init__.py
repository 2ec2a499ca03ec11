"""The app's process: the runtime shared by pages and routes, and the simulator.

* `runtime` - one `Runtime` per process (log, client, tracker loop, embedded simulator);
* `http_routes` - callbacks, health and archived assets beside the UI (`st.App`);
* `embedded` - starting the simulator when no key is configured;
* `sim_admin` - driving that simulator through its admin HTTP API.
"""
