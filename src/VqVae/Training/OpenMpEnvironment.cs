using System.Runtime.InteropServices;

namespace VqVae.Training;

/// <summary>
/// libtorch's OpenMP threads spin while they wait; on a small shared machine that made a 2-thread
/// training step 3× slower. libgomp reads OMP_WAIT_POLICY once, when libtorch is first loaded, and
/// .NET's Environment.SetEnvironmentVariable does not reach native code, so we call libc's setenv
/// before the first torch call. A value the user set is kept.
/// </summary>
public static partial class OpenMpEnvironment
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    public static void PreferPassiveWait()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") != null) return;
        SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
        Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
    }
}
