"""The contract's vocabulary, shared by every operation and family module.

* `fields` - `Field` and the rule types (`RequiredIf`, `LengthIf`, `Window`), the model
  tables and the shared field catalogue;
* `operation` - `Operation` (spec, routes, `Ui` metadata, summary), `SourceSpec`, `FieldError`;
* `validation` - `validate`, `build_body`, `limits_for` over an `Operation`;
* `prepare` - `prepare(operation, values, callback_url)`: the body and every problem;
* `family` - `Family` (the base of `lib.families`), `PollResult`, `Track`, `Asset`;
* `states` - our lifecycle (`State`), progress `Stage`, the never-backwards rules.
"""
