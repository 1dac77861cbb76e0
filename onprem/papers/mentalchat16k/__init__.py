"""MentalChat16K: the synthetic half of the dataset (`generate counselling-qa`: queries and
responses per topic, the topic distribution as data), the seven-metric judge (`judge mentalchat7`),
the benchmark (`eval respond`, `eval compare`, `eval human-judge`, the TUI's rank screen), and the
`mentalchat16k` and `csv` exports. The interview half (paraphrasing transcripts into pairs) is the
tool's main job and lives in the core (onprem/pipeline). Everything here is registered in plugin.py."""
