# Builds the one PAKN binary; compose.yaml runs it once per service.
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN cd services && CGO_ENABLED=0 go build -trimpath -o /pakn ./cmd/pakn

FROM gcr.io/distroless/static-debian12
COPY --from=build /pakn /pakn
USER nonroot
ENTRYPOINT ["/pakn"]
