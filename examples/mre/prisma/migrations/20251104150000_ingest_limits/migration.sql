-- CreateTable
CREATE TABLE "IngestWindow" (
    "key" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "IngestWindow_pkey" PRIMARY KEY ("key")
);
