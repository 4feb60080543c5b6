"""The reference post's VQ-VAE training code ("Pytorch实现: VQ-VAE", by DaNing), runnable offline.

It is the "post in PyTorch" side of the training comparison: the post's model, loss, Adam, batch
sizes, learning rates, DataLoaders and best-checkpoint logic, run by Debian 12's PyTorch as a reader of
the post would run it, on the data `vqvae-train fetch-data` writes. Time the whole process from outside.

    apt-get install -y python3-torch python3-torchvision python3-pil libopenblas0-pthread
    dotnet src/Trainer/bin/Release/net10.0/vqvae-train.dll fetch-data --data-dir data
    /usr/bin/python3 bench/post-pytorch/vqvae_post.py --dataset mnist --epochs 2 --data-dir data

Debian 12: python3-torch 1.13.1, python3-torchvision 0.14.1, python3-pil 9.4.0. Use /usr/bin/python3
(the packages are installed for Debian's interpreter). Debian's torch calls the system's libblas.so.3:
the reference BLAS unless an optimised one is installed, so install libopenblas0-pthread; the first
line printed names the BLAS library actually loaded and the thread count.

Where this departs from the post, and why:
- MNIST: the post imports torchvision's MNIST but does not show the lines that build data_train and
  data_valid; they are taken as `MNIST(root, train=True/False, download=True,
  transform=transforms.ToTensor())`. Here download=False, on a temporary folder holding symbolic links
  to <data-dir>/mnist's four IDX files in the layout the class expects (MNIST/raw/...), since nothing
  can be downloaded and nothing is written into the data folder. The class, its per-image PIL
  conversion and ToTensor are the post's.
- Pokémon: the post's Dataset class, its random 80/20 split and its transforms (PIL open and
  convert("RGB"), ToTensor). The folder is <data-dir>/pokemon; only *.png files are listed (the post
  lists every entry of its folder). The post's `transforms = transforms.Compose(...)` rebinds the module
  name, which works only at the top level of a notebook; here it is named `transform`. The post's
  earlier `Pokemon(..., transform=transform)` lines, which refer to a name not yet defined, are left out.
- One loop serves both data sets: MNIST batches are unpacked as the post's MNIST loop does
  (`for idx, (x, _) in ...`), Pokémon batches taken whole as its Pokémon loop does.
- The model's classes are in post_model.py beside this file (shared with the PyTorch fixtures), with
  `import torch.nn.functional as F` added (the post's forward calls F.sigmoid without importing F).
- epochs: the post's 200 (MNIST) and 1000 (Pokémon) by default, `--epochs N` for a benchmark.
- The per-epoch training loss (the post's `train_losses`, divided by `idx` as the post does) is
  printed instead of plotted; matplotlib's learning curve and the reconstruction pictures are left out.
- The best checkpoint goes to `--checkpoint PATH` (default best_model_<dataset> in the current folder,
  as the post's "best_model_mnist"), written under a temporary name and renamed.
- `--threads N` sets torch.set_num_threads(N); without it PyTorch's own default stands (on this
  2-core machine Debian's torch 1.13 starts with 1 thread; pass --threads 2 to match the other side).
- `--max-steps N` stops each epoch's training after N steps, to check the script in seconds.
- `--seed N` seeds torch and random; the post seeds nothing, and neither does the default.
"""

import argparse
import os
import random
import sys
import tempfile

from PIL import Image

import torch
import torch.nn as nn

from torchvision import transforms
from torchvision.datasets import MNIST
from torch.utils.data import DataLoader, Dataset

from post_model import VQVAE  # the post's Encoder, Decoder and VQVAE, beside this file


# --------------------------------------------------------------------------------------------------
# Data, as the post loads it, from the folders `vqvae-train fetch-data` writes.

MNIST_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def mnist_datasets(data_dir, links_dir):
    source = os.path.join(data_dir, "mnist")
    raw = os.path.join(links_dir, "MNIST", "raw")  # where torchvision's MNIST class looks
    os.makedirs(raw)
    for name in MNIST_FILES:
        path = os.path.abspath(os.path.join(source, name))
        if not os.path.isfile(path):
            fail(f"{path}: not found; fetch the data with `vqvae-train fetch-data --data-dir {data_dir}`")
        os.symlink(path, os.path.join(raw, name))
    data_train = MNIST(links_dir, train=True, download=False, transform=transforms.ToTensor())
    data_valid = MNIST(links_dir, train=False, download=False, transform=transforms.ToTensor())
    return data_train, data_valid


class Pokemon(Dataset):
    def __init__(self, image_paths, transform=None):
        super(Pokemon, self).__init__()
        self.image_paths = image_paths

        if transform is not None:
            self.transform = transform

    def __len__(self):
        return len(self.image_paths)

    def __getitem__(self, item):
        return self.transform(self.image_paths[item])


def pokemon_datasets(data_dir):
    root = os.path.join(data_dir, "pokemon")
    if not os.path.isdir(root):
        fail(f"{root}: not found; fetch the data with `vqvae-train fetch-data --data-dir {data_dir}`")
    image_paths = [os.path.join(root, x) for x in os.listdir(root) if x.endswith(".png")]
    if not image_paths:
        fail(f"{root}: holds no .png images")
    random.shuffle(image_paths)
    train_image_paths = image_paths[: int(0.8 * len(image_paths))]
    valid_image_paths = image_paths[int(0.8 * len(image_paths)):]

    transform = transforms.Compose([
        lambda x: Image.open(x).convert("RGB"),
        transforms.ToTensor(),
    ])
    data_train = Pokemon(train_image_paths, transform=transform)
    data_valid = Pokemon(valid_image_paths, transform=transform)
    return data_train, data_valid


# The post's hyperparameters for each data set.
PRESETS = {
    "mnist": dict(epochs=200, batch_size=256, hidden_size=256, codebook_size=128, input_size=1, patch_size=4, lr=1e-4, beta=0.25),
    "pokemon": dict(epochs=1000, batch_size=128, hidden_size=256, codebook_size=128, input_size=3, patch_size=2, lr=1e-3, beta=0.25),
}


def fail(message):
    print(f"vqvae_post.py: {message}", file=sys.stderr)
    sys.exit(2)


def loaded_blas():
    # The BLAS library this process mapped (Debian's torch links libblas.so.3, whatever provides it).
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return ", ".join(sorted(paths)) or "none mapped"


# --------------------------------------------------------------------------------------------------
# The post's training loop.

def train(args, data_train, data_valid, p):
    epochs = args.epochs if args.epochs is not None else p["epochs"]
    batch_size = p["batch_size"]
    hidden_size = p["hidden_size"]
    codebook_size = p["codebook_size"]
    input_size = p["input_size"]
    patch_size = p["patch_size"]

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    lr = p["lr"]
    beta = p["beta"]

    train_loader = DataLoader(
        data_train, batch_size=batch_size, shuffle=True, num_workers=0
    )
    test_loader = DataLoader(
        data_valid, batch_size=batch_size, shuffle=False, num_workers=0
    )

    model = VQVAE(
        input_size=input_size, output_size=input_size, hidden_size=hidden_size, codebook_size=codebook_size, patch_size=patch_size
    )
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr)
    criterion = nn.MSELoss()

    valid_losses = []
    train_losses = []

    best_loss = 1e9
    best_epoch = 0

    for epoch in range(epochs):
        print(f"Epoch {epoch}")
        model.train()
        train_loss = 0.0

        for idx, batch in enumerate(train_loader):
            x = batch[0] if args.dataset == "mnist" else batch  # MNIST yields (x, label); Pokémon x
            x = x.to(device)
            current_batch = x.size(0)
            x_hat, z_e, z_q = model(x)
            recon_loss = criterion(x_hat, x)
            vq_loss = criterion(z_q, z_e.detach())
            commit_loss = criterion(z_e, z_q.detach())
            loss = recon_loss + vq_loss + beta * commit_loss
            train_loss += loss.item()

            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

            if idx % 100 == 0:
                print(
                    f"Training loss {loss: .3f} \t Recon {recon_loss.item(): .3f} \t VQ / Com {vq_loss.item(): .3f} \t in Step {idx}"
                )
            if args.max_steps is not None and idx + 1 >= args.max_steps:
                break

        train_losses.append(train_loss / idx)
        print(f"Train loss {train_losses[-1]: .5f} in epoch {epoch}")

        valid_loss, valid_recon, valid_vq = 0.0, 0.0, 0.0
        model.eval()

        with torch.no_grad():
            for idx, batch in enumerate(test_loader):
                x = batch[0] if args.dataset == "mnist" else batch
                x = x.to(device)
                current_batch = x.size(0)
                x_hat, z_e, z_q = model(x)
                recon_loss = criterion(x_hat, x)
                vq_loss = criterion(z_q, z_e.detach())
                commit_loss = criterion(z_e, z_q.detach())
                loss = recon_loss + vq_loss + beta * commit_loss
                valid_loss += loss.item()
                valid_recon += recon_loss.item()
                valid_vq += vq_loss.item()

            valid_losses.append(valid_loss / idx)
            print(
                f"Valid loss {valid_loss: .3f} \t Recon {valid_recon: .3f} \t VQ / Com {valid_vq: .3f} in epoch {epoch}"
            )

            if valid_recon < best_loss:
                best_loss = valid_recon
                best_epoch = epoch
                partial = args.checkpoint + ".partial"
                torch.save(model.state_dict(), partial)
                os.replace(partial, args.checkpoint)
                print("Model saved")


def main():
    parser = argparse.ArgumentParser(description="The reference post's VQ-VAE training code, offline.")
    parser.add_argument("--dataset", choices=sorted(PRESETS), required=True)
    parser.add_argument("--data-dir", default="data", help="the folder `vqvae-train fetch-data` wrote (mnist/, pokemon/)")
    parser.add_argument("--epochs", type=int, help="default: the post's (200 for mnist, 1000 for pokemon)")
    parser.add_argument("--checkpoint", help="where the best model goes (default: best_model_<dataset> here)")
    parser.add_argument("--threads", type=int, help="torch.set_num_threads (default: PyTorch's own)")
    parser.add_argument("--max-steps", type=int, help="training steps per epoch at most (to check the script)")
    parser.add_argument("--seed", type=int, help="seed torch and random (the post seeds nothing)")
    args = parser.parse_args()
    for name in ("epochs", "threads", "max_steps"):
        value = getattr(args, name)
        if value is not None and value < 1:
            fail(f"--{name.replace('_', '-')}: must be at least 1, got {value}")
    if args.max_steps == 1:
        fail("--max-steps: must be at least 2 (the post divides an epoch's loss by its last step's index)")
    args.checkpoint = args.checkpoint or f"best_model_{args.dataset}"
    if args.seed is not None:
        torch.manual_seed(args.seed)
        random.seed(args.seed)
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory(prefix="vqvae-post-") as links_dir:
        if args.dataset == "mnist":
            data_train, data_valid = mnist_datasets(args.data_dir, links_dir)
        else:
            data_train, data_valid = pokemon_datasets(args.data_dir)
        print(f"post's code: {args.dataset}, {len(data_train)} training and {len(data_valid)} validation images; "
              f"torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS {loaded_blas()}")
        train(args, data_train, data_valid, PRESETS[args.dataset])


if __name__ == "__main__":
    main()
