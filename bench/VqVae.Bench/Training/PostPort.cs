using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VqVae.Bench;

// The reference post's PyTorch training code ("Pytorch实现: VQ-VAE"), ported line by line to TorchSharp
// and nothing else: the same modules (Conv2d, ConvTranspose2d, Linear, Embedding, cdist), the same
// forward, loss and loop. It runs libtorch's eager kernels as PyTorch 2.x runs the post's Python, so it
// stands in for "the post in PyTorch" on this machine, measured beside the project's trainer. Comments
// quote the post's lines. Not ported: the DataLoader's per-image PIL decoding and collation (batches are
// sliced from the same in-memory tensor the trainer uses, which can only favour the port), validation,
// checkpoints and printing.

/// <summary>The post's hyperparameters of one preset.</summary>
public sealed record PostPreset(string Name, int InputSize, int PatchSize, int HiddenSize, int CodebookSize, int BatchSize, double Lr, double Beta)
{
    // epochs = 200; batch_size = 256; hidden_size = 256; codebook_size = 128; input_size = 1; patch_size = 4; lr = 1e-4; beta = 0.25
    public static readonly PostPreset Mnist = new("mnist", InputSize: 1, PatchSize: 4, HiddenSize: 256, CodebookSize: 128, BatchSize: 256, Lr: 1e-4, Beta: 0.25);
    // epochs = 1000; batch_size = 128; hidden_size = 256; codebook_size = 128; input_size = 3; patch_size = 2; lr = 1e-3; beta = 0.25
    public static readonly PostPreset Pokemon = new("pokemon", InputSize: 3, PatchSize: 2, HiddenSize: 256, CodebookSize: 128, BatchSize: 128, Lr: 1e-3, Beta: 0.25);

    public static PostPreset Get(string name) => name == "mnist" ? Mnist : name == "pokemon" ? Pokemon
        : throw new ArgumentException($"the post has no preset '{name}'");
}

/// <summary><c>class Encoder(nn.Module)</c>.</summary>
public sealed class PostEncoder : nn.Module<Tensor, Tensor>
{
    readonly Conv2d cnn;
    readonly ReLU relu;
    readonly Linear linear;

    public PostEncoder(long inputSize, long outputSize, long hiddenSize, long patchSize) : base("Encoder")
    {
        // self.cnn = nn.Conv2d(input_size, hidden_size, kernel_size=patch_size, stride=patch_size)
        cnn = nn.Conv2d(inputSize, hiddenSize, kernel_size: patchSize, stride: patchSize);
        // self.relu = nn.ReLU()
        relu = nn.ReLU();
        // self.linear = nn.Linear(hidden_size, output_size)
        linear = nn.Linear(hiddenSize, outputSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = cnn.forward(x);                               // x = self.cnn(x)
        x = relu.forward(x);                              // x = self.relu(x)
        x = linear.forward(x.permute(0, 2, 3, 1));        // x = self.linear(x.permute(0, 2, 3, 1))
        return x;                                         // return x
    }
}

/// <summary><c>class Decoder(nn.Module)</c>.</summary>
public sealed class PostDecoder : nn.Module<Tensor, Tensor>
{
    readonly ConvTranspose2d cnn;
    readonly ReLU relu;
    readonly Linear linear;

    public PostDecoder(long inputSize, long outputSize, long hiddenSize, long patchSize) : base("Decoder")
    {
        // self.cnn = nn.ConvTranspose2d(input_size, hidden_size, kernel_size=patch_size, stride=patch_size)
        cnn = nn.ConvTranspose2d(inputSize, hiddenSize, kernel_size: patchSize, stride: patchSize);
        relu = nn.ReLU();                                 // self.relu = nn.ReLU()
        linear = nn.Linear(hiddenSize, outputSize);       // self.linear = nn.Linear(hidden_size, output_size)
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = cnn.forward(x);                               // x = self.cnn(x)
        x = relu.forward(x);                              // x = self.relu(x)
        x = linear.forward(x.permute(0, 2, 3, 1));        // x = self.linear(x.permute(0, 2, 3, 1))
        return x.permute(0, 3, 1, 2);                     // return x.permute(0, 3, 1, 2)
    }
}

/// <summary><c>class VQVAE(nn.Module)</c>: forward returns (x_hat, z_e, z_q).</summary>
public sealed class PostVqVae : nn.Module<Tensor, (Tensor XHat, Tensor ZE, Tensor ZQ)>
{
    readonly long hiddenSize;
    readonly PostEncoder encoder;
    readonly PostDecoder decoder;
    readonly Embedding codebook;

    public PostVqVae(long inputSize, long outputSize, long hiddenSize, long codebookSize, long patchSize) : base("VQVAE")
    {
        this.hiddenSize = hiddenSize;
        // self.encoder = Encoder(input_size, hidden_size, hidden_size, patch_size=patch_size)
        encoder = new PostEncoder(inputSize, hiddenSize, hiddenSize, patchSize);
        // self.decoder = Decoder(hidden_size, output_size, hidden_size, patch_size=patch_size)
        decoder = new PostDecoder(hiddenSize, outputSize, hiddenSize, patchSize);
        // self.codebook = nn.Embedding(codebook_size, hidden_size)
        codebook = nn.Embedding(codebookSize, hiddenSize);
        // nn.init.uniform_(self.codebook.weight, -1.0 / self.codebook_size, 1.0 / self.codebook_size)
        nn.init.uniform_(codebook.weight, -1.0 / codebookSize, 1.0 / codebookSize);
        RegisterComponents();
    }

    public override (Tensor XHat, Tensor ZE, Tensor ZQ) forward(Tensor x)
    {
        long batchSize = x.size(0);                                          // batch_size = x.size(0)
        var zE = encoder.forward(x);                                         // z_e = self.encoder(x)
        long sqrtPatches = zE.size(1);                                       // sqrt_patches = z_e.size(1)

        zE = zE.view(-1, hiddenSize);                                        // z_e = z_e.view(-1, self.hidden_size)
        var embeddings = codebook.weight!;                                   // embeddings = self.get_codebook_embeddings()
        var nearest = argmin(cdist(zE, embeddings), dim: 1);                 // nearest = torch.argmin(torch.cdist(z_e, embeddings), dim=1)
        var zQ = codebook.forward(nearest);                                  // z_q = self.codebook(nearest)

        var decoderInput = zE + (zQ - zE).detach();                          // decoder_input = z_e + (z_q - z_e).detach()

        decoderInput = decoderInput.view(batchSize, sqrtPatches, sqrtPatches, hiddenSize);
        decoderInput = decoderInput.permute(0, 3, 1, 2);                     // decoder_input = decoder_input.permute(0, 3, 1, 2)
        var xHat = nn.functional.sigmoid(decoder.forward(decoderInput));     // x_hat = F.sigmoid(self.decoder(decoder_input))

        return (xHat, zE, zQ);                                               // return x_hat, z_e, z_q
    }
}

/// <summary>The post's model, optimizer and training loop over a data tensor, one epoch at a time.</summary>
public sealed class PostPort : IDisposable
{
    readonly PostPreset preset;
    readonly Tensor data;
    readonly PostVqVae model;
    readonly optim.Optimizer optimizer;
    readonly MSELoss criterion;
    readonly Generator shuffle;

    /// <param name="data">[N, C, H, W] in 0..1: the training images.</param>
    public PostPort(PostPreset preset, Tensor data, int seed)
    {
        this.preset = preset;
        this.data = data;
        manual_seed(seed);
        shuffle = new Generator((ulong)seed);
        // model = VQVAE(input_size=input_size, output_size=input_size, hidden_size=hidden_size, codebook_size=codebook_size, patch_size=patch_size)
        model = new PostVqVae(preset.InputSize, preset.InputSize, preset.HiddenSize, preset.CodebookSize, preset.PatchSize);
        // optimizer = torch.optim.Adam(model.parameters(), lr)
        optimizer = optim.Adam(model.parameters(), lr: preset.Lr);
        // criterion = nn.MSELoss()
        criterion = nn.MSELoss();
    }

    /// <summary>
    /// One epoch of <paramref name="steps"/> steps (at most the whole data set): images per second of the
    /// steps alone, as the project's trainer counts its own. Returns the mean training loss as well.
    /// </summary>
    public (double ImagesPerSecond, double MeanLoss) TrainEpoch(int steps)
    {
        model.train();                                                        // model.train()
        double trainLoss = 0.0;                                               // train_loss = 0.0
        long n = data.shape[0];
        using var orderScope = NewDisposeScope();
        // train_loader = DataLoader(data_train, batch_size=batch_size, shuffle=True, num_workers=0)
        var order = randperm(n, generator: shuffle);
        steps = (int)Math.Min(steps, (n + preset.BatchSize - 1) / preset.BatchSize);
        long images = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int idx = 0; idx < steps; idx++)                                 // for idx, (x, _) in enumerate(train_loader):
        {
            using var scope = NewDisposeScope();
            long start = (long)idx * preset.BatchSize;
            long count = Math.Min(preset.BatchSize, n - start);
            var x = data.index_select(0, order.narrow(0, start, count));      // x = x.to(device)
            var (xHat, zE, zQ) = model.forward(x);                            // x_hat, z_e, z_q = model(x)
            var reconLoss = criterion.forward(xHat, x);                       // recon_loss = criterion(x_hat, x)
            var vqLoss = criterion.forward(zQ, zE.detach());                  // vq_loss = criterion(z_q, z_e.detach())
            var commitLoss = criterion.forward(zE, zQ.detach());              // commit_loss = criterion(z_e, z_q.detach())
            var loss = reconLoss + vqLoss + preset.Beta * commitLoss;         // loss = recon_loss + vq_loss + beta * commit_loss
            trainLoss += loss.item<float>();                                  // train_loss += loss.item()

            optimizer.zero_grad();                                            // optimizer.zero_grad()
            loss.backward();                                                  // loss.backward()
            optimizer.step();                                                 // optimizer.step()
            images += count;
        }
        return (images / clock.Elapsed.TotalSeconds, trainLoss / steps);
    }

    public void Dispose()
    {
        model.Dispose();
        optimizer.Dispose();
        criterion.Dispose();
        shuffle.Dispose();
    }
}
