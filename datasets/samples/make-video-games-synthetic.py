"""Writes video-games-synthetic.txt: a stand-in for SASRec's Video.txt with the same format and
a learnable sequential signal, so the recommender experiments run on a fresh machine. No Amazon data.

300 users, 240 items in 12 genres of 20. Each user likes two genres; a user's next item is, with
probability 0.6, the item after the previous one in the same genre (a "sequel"), else a uniform
item of one of the user's genres, else (probability 0.1) any item. 8 to 24 interactions per user.
"""
import random

rng = random.Random(20261124)
genres, per_genre, users = 12, 20, 300
lines = []
for user in range(1, users + 1):
    liked = rng.sample(range(genres), 2)
    item = rng.choice(liked) * per_genre + rng.randrange(per_genre)
    for _ in range(rng.randint(8, 24)):
        lines.append(f"{user} {item + 1}")
        r = rng.random()
        if r < 0.6:
            item = (item // per_genre) * per_genre + (item % per_genre + 1) % per_genre
        elif r < 0.9:
            item = rng.choice(liked) * per_genre + rng.randrange(per_genre)
        else:
            item = rng.randrange(genres * per_genre)
with open("video-games-synthetic.txt", "w") as f:
    f.write("\n".join(lines) + "\n")
