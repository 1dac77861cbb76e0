"""Thousand Voices of Trauma: Prolonged Exposure therapy transcripts, six phases per sampled
client profile (`generate pe`), the distress judge per phase (`judge distress`), the emotional
trajectory benchmark (`eval trajectory`), the profile sampler (`profiles sample|validate`) and the
`pe` export. Everything the paper brings is registered in plugin.py."""
