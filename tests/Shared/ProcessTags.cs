namespace VqVae.TestSupport;

/// <summary>The HOST-PID tags temporaries and claims are named by, for processes that are gone or on another host.</summary>
public static class ProcessTags
{
    /// <summary>A PID no process of this host has.</summary>
    public static int DeadPid()
    {
        for (int pid = 4_000_000; ; pid--)
            if (!Directory.Exists($"/proc/{pid}")) return pid;
    }

    /// <summary>A process of this host that is gone.</summary>
    public static string DeadHere() => new ProcessIdentity(ProcessIdentity.Current.Host, DeadPid()).Tag;

    /// <summary>A process of another host (a cluster node sharing the file system), whose PID means nothing here.</summary>
    public static string OtherHost() => new ProcessIdentity("other-node-7", DeadPid()).Tag;
}
