using Microsoft.ML;
using SkiaSharp;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Puts the outputs of the N shards of one `score` run back together into what a single unsharded run
/// writes: codes.csv and metrics.csv in path order (byte for byte the single run's: rows are copied as
/// written, merged by relative path as the folder walk orders them), reconstructions/, the reconstruction
/// grid (the same images as the single run's grid: <see cref="GridSample.Positions"/>) and summary.json.
/// Streams: one row per shard is held at a time, whatever the number of images.
/// </summary>
public sealed class ShardMerger
{
    /// <summary>The shards, ordered by index.</summary>
    public IReadOnlyList<ShardOutput> Shards { get; }
    /// <summary>The model the shards ran, reopened for the grid's input pixels and checked against their hash.</summary>
    public VqVaeModelFolder Model { get; }
    public string ImagesFolder { get; }

    ShardMerger(IReadOnlyList<ShardOutput> shards, VqVaeModelFolder model, string imagesFolder)
    {
        Shards = shards;
        Model = model;
        ImagesFolder = imagesFolder;
    }

    /// <summary>
    /// Opens and checks the shard folders, the model and the images folder before anything is written;
    /// throws InvalidDataException naming the folder and the problem.
    /// </summary>
    public static ShardMerger Open(IEnumerable<string> shardFolders)
    {
        var shards = ShardSet.Check(shardFolders.Select(ShardOutput.Open).ToList());
        var summary = shards[0].Summary;
        var model = VqVaeModelFolder.Open(summary.Model);
        var sha = ModelIdentity.Sha256(model);
        if (sha != summary.ModelSha256)
            throw new InvalidDataException(
                $"{model.Folder}: the graphs changed since the shards were scored (sha256 {sha[..12]} now, {summary.ModelSha256[..12]} then)");
        // The grid shows inputs beside reconstructions, as the single run's does: it reads them again.
        if (!Directory.Exists(summary.Input))
            throw new InvalidDataException($"{summary.Input}: the shards' images folder is not found (the grid reads its inputs from it)");
        return new ShardMerger(shards, model, summary.Input);
    }

    /// <summary>Writes the merged run into <paramref name="outputFolder"/> (an empty folder) and returns its summary.</summary>
    public RunSummary Merge(string outputFolder)
    {
        int total = Shards.Sum(s => s.Summary.Scored);
        var gridPositions = GridSample.Positions(FolderScorer.GridImages, seed: 0, total);
        var gridPaths = new List<string>(gridPositions.Count);
        var sums = new MetricSums();

        var readers = Shards.Select(s => new ShardRows(s)).ToList();
        try
        {
            using var codes = new StreamWriter(Path.Combine(outputFolder, FolderScorer.CodesFile));
            using var metrics = new StreamWriter(Path.Combine(outputFolder, FolderScorer.MetricsFile));
            codes.Write(SameHeader(readers, r => r.CodesHeader, FolderScorer.CodesFile));
            var metricsHeader = SameHeader(readers, r => r.MetricsHeader, FolderScorer.MetricsFile);
            metrics.Write(metricsHeader);
            var columns = MetricsColumns.Of(metricsHeader, readers[0].Shard.MetricsPath);

            var next = new PriorityQueue<ShardRows, string>(StringComparer.Ordinal);
            foreach (var r in readers) if (r.Advance()) next.Enqueue(r, r.Path);
            string? previous = null;
            ShardRows? previousShard = null;
            int position = 0;
            while (next.TryDequeue(out var r, out var path))
            {
                if (previous is not null && string.CompareOrdinal(previous, path) >= 0)
                    throw new InvalidDataException(previous == path
                        ? $"{path} is in both {previousShard!.Shard.Folder} and {r.Shard.Folder}"
                        : $"{r.Shard.CodesPath}: rows not in path order at {path}");
                codes.Write(r.Codes.Text);
                metrics.Write(r.Metrics.Text);
                var (mse, psnr, ssim) = columns.Values(r.Metrics.Text, $"{r.Shard.MetricsPath}: row for {r.Path}");
                sums.Add(mse, psnr, ssim);
                CopyReconstruction(r.Shard, path, outputFolder);
                if (gridPaths.Count < gridPositions.Count && gridPositions[gridPaths.Count] == position) gridPaths.Add(path);
                position++;
                (previous, previousShard) = (path, r);
                if (r.Advance()) next.Enqueue(r, r.Path);
            }
            foreach (var rows in readers)
                if (rows.Count != rows.Shard.Summary.Scored)
                    throw new InvalidDataException(
                        $"{rows.Shard.CodesPath}: {rows.Count} rows, but its {FolderScorer.SummaryFile} says {rows.Shard.Summary.Scored} images were scored");
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }

        if (total > 0) SaveGrid(outputFolder, gridPaths);
        var summary = Summary(total, sums);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, FolderScorer.SummaryFile), summary.ToJson());
        return summary;
    }

    RunSummary Summary(int scored, MetricSums sums)
    {
        var first = Shards[0].Summary;
        // The shards run side by side: the run took as long as its slowest shard.
        var slowest = Shards.MaxBy(s => s.Summary.Seconds)!.Summary;
        return new RunSummary
        {
            Command = "score",
            Model = Model.Folder,
            Input = ImagesFolder,
            Shard = Shard.All.ToString(),
            Found = Shards.Sum(s => s.Summary.Found),
            Scored = scored,
            // Each shard lists its failures in path order, as a single run does; merged, they keep that order.
            Failures = Shards.SelectMany(s => s.Summary.Failures).OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
            MeanMse = sums.MeanMse,
            MeanPsnr = sums.MeanPsnr,
            MeanSsim = sums.MeanSsim,
            Seconds = slowest.Seconds,
            ImagesPerSecond = slowest.ImagesPerSecond,
            ExecutionProvider = string.Join(", ", Shards.Select(s => s.Summary.ExecutionProvider).Distinct()),
            ModelSha256 = first.ModelSha256,
            Finished = true,
            ShardRuns = Shards.Select(s => new ShardRun(s.Shard.ToString(), s.Folder, s.Summary.Found, s.Summary.Scored,
                s.Summary.Failed, s.Summary.Seconds, s.Summary.ImagesPerSecond)).ToList(),
        };
    }

    static string SameHeader(List<ShardRows> readers, Func<ShardRows, string> header, string file)
    {
        var first = header(readers[0]);
        foreach (var r in readers.Skip(1))
            if (header(r) != first)
                throw new InvalidDataException($"{Path.Combine(r.Shard.Folder, file)}: its header differs from {Path.Combine(readers[0].Shard.Folder, file)}'s");
        return first;
    }

    static void CopyReconstruction(ShardOutput shard, string imagePath, string outputFolder)
    {
        var relative = ReconstructionPng.RelativePathFor(imagePath);
        var source = Path.Combine(shard.ReconstructionsPath, relative);
        if (!File.Exists(source)) throw new InvalidDataException($"{source}: reconstruction missing (its row is in {shard.CodesPath})");
        var target = Path.Combine(outputFolder, FolderScorer.ReconstructionsFolder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }

    /// <summary>
    /// The single run's grid: the same images (their positions depend only on the count scored), inputs read
    /// again by the pipeline's own image steps, reconstructions from their PNGs (the grid rounds to the same bytes).
    /// </summary>
    void SaveGrid(string outputFolder, List<string> paths)
    {
        int size = Model.PixelCount;
        var inputs = new float[paths.Count * size];
        var outputs = new float[paths.Count * size];
        var options = VqVaePipelineOptions.Default with { ReconstructionImage = false };
        var loader = new PixelLoader(new MLContext(seed: 0), Model, options);
        for (int i = 0; i < paths.Count; i++)
        {
            var image = Path.Combine(ImagesFolder, paths[i]);
            if (loader.Load(image, inputs.AsSpan(i * size, size)) is { } problem)
                throw new InvalidDataException($"{image}: scored by its shard, but now {problem}");
            ReadPng(Path.Combine(outputFolder, FolderScorer.ReconstructionsFolder, ReconstructionPng.RelativePathFor(paths[i])),
                outputs.AsSpan(i * size, size));
        }
        FolderScorer.SaveGrid(outputFolder, inputs, outputs, Model.Config);
    }

    /// <summary>A reconstruction PNG back to planar floats (byte / 255).</summary>
    void ReadPng(string path, Span<float> planes)
    {
        var c = Model.Config;
        using var decoded = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path}: not a readable PNG");
        using var bitmap = decoded.Copy(SKColorType.Rgba8888);
        if (bitmap.Width != c.Width || bitmap.Height != c.Height)
            throw new InvalidDataException($"{path}: {bitmap.Width}×{bitmap.Height}, but the model makes {c.Width}×{c.Height}");
        var bytes = bitmap.Bytes;
        int n = c.Width * c.Height;
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c.Channels; ch++)
                planes[ch * n + i] = bytes[4 * i + ch] / 255f;
    }

    /// <summary>One shard's codes.csv and metrics.csv read in step, a row of each at a time.</summary>
    sealed class ShardRows : IDisposable
    {
        readonly CsvRecordReader codes, metrics;
        public ShardOutput Shard { get; }
        public string CodesHeader { get; }
        public string MetricsHeader { get; }
        public CsvRecord Codes { get; private set; }
        public CsvRecord Metrics { get; private set; }
        public string Path => Codes.Path;
        public int Count { get; private set; }

        public ShardRows(ShardOutput shard)
        {
            Shard = shard;
            codes = new CsvRecordReader(new StreamReader(shard.CodesPath), shard.CodesPath);
            metrics = new CsvRecordReader(new StreamReader(shard.MetricsPath), shard.MetricsPath);
            CodesHeader = codes.ReadHeader();
            MetricsHeader = metrics.ReadHeader();
        }

        /// <summary>Moves to the next row; false at the end of both files.</summary>
        public bool Advance()
        {
            var (c, m) = (codes.Next(), metrics.Next());
            if (c is null && m is null) return false;
            if (c is null || m is null || c.Value.Path != m.Value.Path)
                throw new InvalidDataException(
                    $"{Shard.Folder}: codes.csv and metrics.csv disagree at row {Count + 1} ({c?.Path ?? "end of file"} vs {m?.Path ?? "end of file"})");
            if (!Shard.Shard.Contains(c.Value.Path))
                throw new InvalidDataException($"{Shard.CodesPath}: {c.Value.Path} does not belong to shard {Shard.Shard}");
            (Codes, Metrics) = (c.Value, m.Value);
            Count++;
            return true;
        }

        public void Dispose()
        {
            codes.Dispose();
            metrics.Dispose();
        }
    }
}
