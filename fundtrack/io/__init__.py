"""Files in and out: fundtrack/1 import and export, configuration, report formats, journals."""
