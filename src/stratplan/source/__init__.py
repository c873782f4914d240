"""Reading input: YAML files into plain data with a source map (`reader`), the one round-trip
setup for the commands that rewrite YAML (`roundtrip`), and in-place suppressions (`suppress`)."""
