"""Sampled client profiles (the Thousand Voices of Trauma sampler): every field's distribution is data
(data/*.json), every draw goes through one seeded RNG, and validation rules are data too."""
