namespace VqVae.MlNetConsumer;

/// <summary>
/// Column names of the VQ-VAE pipeline. ApplyOnnxModel binds columns to graph inputs and outputs by
/// name, so the columns that cross an ONNX graph are the graph's own tensor names from
/// <see cref="OnnxContract"/> (checked by <see cref="VqVaeModelFolder"/>); the others are ours.
/// </summary>
public static class VqVaeColumns
{
    /// <summary>Input: path of an image file (absolute, or relative to the pipeline's image folder).</summary>
    public const string ImagePath = "ImagePath";
    /// <summary>The decoded image (MLImage), before and after resizing.</summary>
    public const string LoadedImage = "LoadedImage";
    public const string ResizedImage = "ResizedImage";
    /// <summary>Grayscale copy, only in pipelines for one-channel models.</summary>
    public const string GrayImage = "GrayImage";

    /// <summary>float [C·H·W] in 0..1, planar: the encoder's input tensor `image`.</summary>
    public const string Pixels = OnnxContract.Image;
    /// <summary>float [h·w·D]: the encoder's output and the quantizer's input.</summary>
    public const string Latent = OnnxContract.ZE;
    /// <summary>int64 [h·w]: index of the nearest codebook vector per latent position.</summary>
    public const string Codes = OnnxContract.Codes;
    /// <summary>float [h·w·D]: the chosen codebook vectors (only when asked for).</summary>
    public const string QuantizedLatent = OnnxContract.ZQ;
    /// <summary>float [C·H·W] in 0..1: the decoder's output.</summary>
    public const string Reconstruction = OnnxContract.Reconstruction;

    /// <summary>float [3·H·W] in 0..255 (+0.5 so ConvertToImage's truncation rounds): planar R, G, B.</summary>
    public const string ReconstructionRgb = "ReconstructionRgb";
    /// <summary>The reconstruction as an MLImage.</summary>
    public const string ReconstructionImage = "ReconstructionImage";
}
