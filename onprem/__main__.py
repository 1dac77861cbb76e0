from onprem.cli import main

# The guard matters: a worker process (onprem.pipeline.workers) imports this module as __mp_main__.
if __name__ == "__main__":
    main()
