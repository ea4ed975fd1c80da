"""The JSON Schemas in schema/ against the golden outputs of the Swift tests."""
import glob
import json
import os
import unittest

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "Tests", "MailScrubCoreTests", "Golden")


def load_schema(name):
    with open(os.path.join(ROOT, "schema", f"mailscrub.{name}-1.schema.json")) as f:
        return json.load(f)


def golden_objects(schema_name):
    """Every JSON object of the given schema in the golden files, with its file name."""
    for path in sorted(glob.glob(os.path.join(GOLDEN, "**", "*"), recursive=True)):
        if not path.endswith((".ndjson", ".json")):
            continue
        with open(path) as f:
            for line in f:
                try:
                    value = json.loads(line)
                except ValueError:
                    continue
                if isinstance(value, dict) and value.get("schema") == schema_name:
                    yield os.path.relpath(path, GOLDEN), value


class SchemaTests(unittest.TestCase):
    def check_all(self, name, schema_name, minimum):
        schema = load_schema(name)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        count = 0
        for path, value in golden_objects(schema_name):
            count += 1
            errors = [error.message for error in validator.iter_errors(value)]
            self.assertEqual(errors, [], f"{path}: {value}")
        self.assertGreaterEqual(count, minimum, "the golden files hold the objects checked")
        return schema

    def test_every_golden_record_validates(self):
        schema = self.check_all("delivery", "mailscrub.delivery/1", 100)
        # Under the default policy a record has every field, in the schema's order.
        with open(os.path.join(GOLDEN, "records", "incoming.ndjson")) as f:
            first = json.loads(f.readline())
        self.assertEqual(list(first), list(schema["properties"]))

    def test_every_golden_event_validates(self):
        schema = self.check_all("event", "mailscrub.event/1", 200)
        seen_fields = set()
        seen_kinds = set()
        for _, value in golden_objects("mailscrub.event/1"):
            seen_fields.update(value)
            seen_kinds.add(value["event"])
        # Each field and kind the schema names is one the encoder writes.
        self.assertEqual(set(schema["properties"]), seen_fields)
        self.assertEqual(set(schema["properties"]["event"]["enum"]), seen_kinds)

    def test_a_stray_field_or_wrong_type_is_refused(self):
        validator = jsonschema.Draft202012Validator(load_schema("delivery"))
        _, record = next(golden_objects("mailscrub.delivery/1"))
        self.assertTrue(validator.is_valid(record))
        self.assertFalse(validator.is_valid(dict(record, subject="Quarterly numbers")))
        self.assertFalse(validator.is_valid(dict(record, message_size="1200")))
        self.assertFalse(validator.is_valid(dict(record, delays=[1, 2])))


if __name__ == "__main__":
    unittest.main()
