"""The reference post's VQ-VAE model ("Pytorch实现: VQ-VAE", by DaNing), as the post writes it.

Used by vqvae_post.py (the post's training code) and by tests/fixtures/pytorch/make_fixtures.py (the
PyTorch fixtures), so both run the post's own modules. The one line added to the post's code is
`import torch.nn.functional as F`: its forward calls F.sigmoid without importing F.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, input_size, output_size, hidden_size, patch_size) -> None:
        super().__init__()
        self.cnn = nn.Conv2d(input_size, hidden_size, kernel_size=patch_size, stride=patch_size)
        self.relu = nn.ReLU()
        self.linear = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        x = self.cnn(x)
        x = self.relu(x)
        x = self.linear(x.permute(0, 2, 3, 1))  # [b, c, h, w] -> [b, h, w, c]
        return x


class Decoder(nn.Module):
    def __init__(self, input_size, output_size, hidden_size, patch_size) -> None:
        super().__init__()
        self.cnn = nn.ConvTranspose2d(input_size, hidden_size, kernel_size=patch_size, stride=patch_size)
        self.relu = nn.ReLU()
        self.linear = nn.Linear(hidden_size, output_size)

    def forward(self, x):
        x = self.cnn(x)
        x = self.relu(x)
        x = self.linear(x.permute(0, 2, 3, 1))
        return x.permute(0, 3, 1, 2)


class VQVAE(nn.Module):
    def __init__(self, input_size, output_size, hidden_size, codebook_size, patch_size) -> None:
        super().__init__()
        self.input_size = input_size
        self.output_size = output_size
        self.hidden_size = hidden_size
        self.codebook_size = codebook_size
        self.patch_size = patch_size

        self.encoder = Encoder(input_size, hidden_size, hidden_size, patch_size=patch_size)
        self.decoder = Decoder(hidden_size, output_size, hidden_size, patch_size=patch_size)
        self.codebook = nn.Embedding(codebook_size, hidden_size)
        # init
        nn.init.uniform_(
            self.codebook.weight, -1.0 / self.codebook_size, 1.0 / self.codebook_size
        )

    def forward(self, x):
        # [b, c, h, w]
        batch_size = x.size(0)
        z_e = self.encoder(x)
        sqrt_patches = z_e.size(1)

        # VQ
        z_e = z_e.view(-1, self.hidden_size)
        embeddings = self.get_codebook_embeddings()
        nearest = torch.argmin(torch.cdist(z_e, embeddings), dim=1)
        z_q = self.codebook(nearest)

        # Straight - Through Estimator(STE)
        decoder_input = z_e + (z_q - z_e).detach()

        decoder_input = decoder_input.view(batch_size, sqrt_patches, sqrt_patches, self.hidden_size)
        decoder_input = decoder_input.permute(0, 3, 1, 2)
        x_hat = F.sigmoid(self.decoder(decoder_input))

        return x_hat, z_e, z_q

    def get_codebook_embeddings(self):
        return self.codebook.weight
